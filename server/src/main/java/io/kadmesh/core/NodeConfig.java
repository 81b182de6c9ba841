package io.kadmesh.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Every tunable of a node, validated once, with its default beside it. Parsed from flags and
 * environment only at the edge (the command line); the core reads nothing else.
 *
 * @param network nodes refuse peers of another network name
 * @param k bucket size and replication factor: a bucket holds k contacts, a lookup returns the k
 *     closest, a record is stored on the k closest nodes (paper §2.2, §2.5)
 * @param alpha requests a lookup keeps in flight (paper §2.3)
 * @param rpcTimeout deadline of one peer request; a peer that has not answered by then counts as
 *     failed for that request, so it cannot stall a lookup
 * @param operationTimeout deadline of a whole Put, Get or Delete when the caller sets none
 * @param maxFailures consecutive failed requests after which a contact leaves its bucket
 * @param replacementCacheSize newcomers a full bucket keeps in reserve (paper §4.1)
 * @param bucketRefreshInterval a bucket no lookup has touched for this long is refreshed (§2.3)
 * @param getQuorum a Get stops once this many replicas returned a record, and answers the newest
 * @param maxKeyBytes longest application key, in UTF-8 bytes
 * @param maxValueBytes largest value
 * @param defaultTtl a record's lifetime when the writer gives none
 * @param maxTtl longest lifetime a writer may ask for; tombstones live this long so that they
 *     outlive every value they shadow
 * @param maxRecords records a node holds for the network at most
 * @param maxStoredBytes bytes a node holds for the network at most
 * @param expiryInterval how often expired records are purged
 * @param contactFreshness a contact heard from within this long counts as alive: a full bucket
 *     whose least-recently seen contact is that fresh does not ping it for a newcomer (BEP 5's
 *     "good" nodes); zero pings every time, as the paper does
 * @param republishInterval how often a node stores each record it holds again on the k closest
 *     nodes it then finds (paper §2.5), so that replicas lost to churn are replaced; keys it
 *     received by a peer's STORE within the last interval are skipped (the sender republished
 *     them). At least one second
 * @param writeQuorum replicas that must keep a Put or Delete before it is acknowledged; fewer
 *     fail UNAVAILABLE saying how many kept it. A node started alone on purpose that still knows
 *     no other node needs only its own copy; any other node needs this many, so that a node cut
 *     off from its network refuses writes instead of acknowledging what nobody else holds. At
 *     most k
 * @param maxRejoinBackoff longest pause between attempts to reach the network again while the
 *     node knows no live contact or has lost contacts (the pause starts at one second and doubles)
 * @param contactSaveDelay how soon after its routing table changes a node saves its contacts
 *     (at most once per delay), so that a node killed soon after it joined still finds its
 *     network after a restart
 * @param maxClockSkew how far ahead of this node's clock a record's version may be (versions are
 *     hybrid logical clocks, microseconds since the epoch); a record further ahead, whether sent by
 *     a peer or found by a lookup, is refused, so a fast clock or a forged version cannot hold a
 *     key against later writers
 * @param subnetBucketLimit contacts from one IPv4 /24 or IPv6 /48 a k-bucket holds at most
 * @param subnetTableLimit contacts from one IPv4 /24 or IPv6 /48 the routing table holds at most
 * @param exemptLoopback whether peers on loopback addresses are exempt from the per-address limits
 * @param exemptPrivate whether peers at private-network addresses (RFC 1918, RFC 6598, IPv6 ULA,
 *     link-local) are exempt from the subnet limits of the routing table
 *     (subnets, connections per address), so that local meshes work; on loopback the rate limit
 *     applies per sender ID instead of per address
 * @param maxRecordsPerPeer records one sender may have placed on this node at most
 * @param maxBytesPerPeer bytes one sender may have placed on this node at most
 * @param peerRateLimit requests per second one remote peer may send to the peer port (bursts of
 *     twice that); 0 turns the limit off
 * @param maxCallsPerConnection concurrent calls one connection may have open on either port
 * @param maxConnectionsPerAddress connections one remote address may hold open to either port
 * @param maxQueuedCalls with synchronous writes: calls a node holds at once, running or waiting
 *     for one of its call threads
 * @param maxServiceEntries endpoint entries a node holds for one service at most (withdrawn ones
 *     included), and sends in one FIND_VALUE answer; a new entry beyond is refused, so that
 *     nobody can flood a service's replicas
 * @param maxEntriesPerAnnouncer endpoint entries one announcer key may hold for one service on a
 *     node at most, so that one announcer cannot take a service's whole room; at most
 *     maxServiceEntries
 * @param watch the limits of Watch: subscriptions this node holds as a replica, and watches it
 *     runs for its applications ({@link WatchLimits})
 */
public record NodeConfig(
    String network,
    int k,
    int alpha,
    Duration rpcTimeout,
    Duration operationTimeout,
    int maxFailures,
    int replacementCacheSize,
    Duration bucketRefreshInterval,
    int getQuorum,
    int maxKeyBytes,
    int maxValueBytes,
    Duration defaultTtl,
    Duration maxTtl,
    long maxRecords,
    long maxStoredBytes,
    Duration expiryInterval,
    Duration republishInterval,
    Duration contactFreshness,
    int writeQuorum,
    Duration maxRejoinBackoff,
    Duration contactSaveDelay,
    Duration maxClockSkew,
    int subnetBucketLimit,
    int subnetTableLimit,
    boolean exemptLoopback,
    boolean exemptPrivate,
    long maxRecordsPerPeer,
    long maxBytesPerPeer,
    int peerRateLimit,
    int maxCallsPerConnection,
    int maxConnectionsPerAddress,
    int maxQueuedCalls,
    int maxServiceEntries,
    int maxEntriesPerAnnouncer,
    WatchLimits watch) {

  public static final String DEFAULT_NETWORK = "kadmesh";

  public NodeConfig {
    Objects.requireNonNull(network, "network");
    if (network.isBlank() || network.length() > 64) {
      throw new IllegalArgumentException("network must be 1 to 64 characters: '" + network + "'");
    }
    requireRange("k", k, 1, 256);
    requireRange("alpha", alpha, 1, 64);
    requirePositive("rpcTimeout", rpcTimeout);
    requirePositive("operationTimeout", operationTimeout);
    requireRange("maxFailures", maxFailures, 1, 100);
    requireRange("replacementCacheSize", replacementCacheSize, 0, 1024);
    requirePositive("bucketRefreshInterval", bucketRefreshInterval);
    requireRange("getQuorum", getQuorum, 1, k);
    requireRange("maxKeyBytes", maxKeyBytes, 1, 1 << 20);
    requireRange("maxValueBytes", maxValueBytes, 1, 1 << 30);
    requirePositive("defaultTtl", defaultTtl);
    requirePositive("maxTtl", maxTtl);
    if (defaultTtl.compareTo(maxTtl) > 0) {
      throw new IllegalArgumentException("defaultTtl " + defaultTtl + " exceeds maxTtl " + maxTtl);
    }
    if (maxRecords < 1) throw new IllegalArgumentException("maxRecords must be positive: " + maxRecords);
    if (maxStoredBytes < 1) throw new IllegalArgumentException("maxStoredBytes must be positive: " + maxStoredBytes);
    requirePositive("expiryInterval", expiryInterval);
    requirePositive("republishInterval", republishInterval);
    Objects.requireNonNull(contactFreshness, "contactFreshness");
    if (contactFreshness.isNegative()) {
      throw new IllegalArgumentException("contactFreshness must not be negative: " + contactFreshness);
    }
    requireRange("writeQuorum", writeQuorum, 1, k);
    requirePositive("maxRejoinBackoff", maxRejoinBackoff);
    requirePositive("contactSaveDelay", contactSaveDelay);
    requirePositive("maxClockSkew", maxClockSkew);
    requireRange("subnetBucketLimit", subnetBucketLimit, 1, k);
    requireRange("subnetTableLimit", subnetTableLimit, 1, Integer.MAX_VALUE);
    requireRange("maxRecordsPerPeer", maxRecordsPerPeer, 1, maxRecords);
    requireRange("maxBytesPerPeer", maxBytesPerPeer, 1, maxStoredBytes);
    requireRange("peerRateLimit", peerRateLimit, 0, 1_000_000);
    requireRange("maxCallsPerConnection", maxCallsPerConnection, 1, 1_000_000);
    requireRange("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, 1_000_000);
    requireRange("maxQueuedCalls", maxQueuedCalls, 1, 1_000_000);
    requireRange("maxServiceEntries", maxServiceEntries, 1, 65_536);
    requireRange("maxEntriesPerAnnouncer", maxEntriesPerAnnouncer, 1, maxServiceEntries);
    Objects.requireNonNull(watch, "watch");
    if (republishInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("republishInterval must be at least 1s: " + republishInterval);
    }
  }

  /** The defaults, as documented in the README. */
  public static NodeConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
    }
  }

  private static void requirePositive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /** Builds a config, starting from the defaults. */
  public static final class Builder {
    private String network = DEFAULT_NETWORK;
    private int k = 20;
    private int alpha = 3;
    private Duration rpcTimeout = Duration.ofSeconds(2);
    private Duration operationTimeout = Duration.ofSeconds(10);
    private int maxFailures = 3;
    private int replacementCacheSize = 20;
    private Duration bucketRefreshInterval = Duration.ofHours(1);
    private int getQuorum = 3;
    private int maxKeyBytes = 1024;
    private int maxValueBytes = 64 * 1024;
    private Duration defaultTtl = Duration.ofHours(24);
    private Duration maxTtl = Duration.ofDays(7);
    private long maxRecords = 1_000_000;
    private long maxStoredBytes = 1L << 30;
    private Duration expiryInterval = Duration.ofMinutes(1);
    private Duration republishInterval = Duration.ofHours(1);
    private Duration contactFreshness = Duration.ofMinutes(5);
    private int writeQuorum = 2;
    private Duration maxRejoinBackoff = Duration.ofSeconds(10);
    private Duration contactSaveDelay = Duration.ofSeconds(1);
    private Duration maxClockSkew = Duration.ofMinutes(1);
    private int subnetBucketLimit = 2;
    private int subnetTableLimit = 3;
    private boolean exemptLoopback = true;
    private boolean exemptPrivate = true;
    private long maxRecordsPerPeer = 250_000;
    private long maxBytesPerPeer = 256L << 20;
    private int peerRateLimit = 500;
    private int maxCallsPerConnection = 128;
    private int maxConnectionsPerAddress = 8;
    private int maxQueuedCalls = 1024;
    private int maxServiceEntries = 256;
    private int maxEntriesPerAnnouncer = 16;
    private WatchLimits watch = WatchLimits.DEFAULTS;

    private Builder() {}

    private Builder(NodeConfig c) {
      network = c.network;
      k = c.k;
      alpha = c.alpha;
      rpcTimeout = c.rpcTimeout;
      operationTimeout = c.operationTimeout;
      maxFailures = c.maxFailures;
      replacementCacheSize = c.replacementCacheSize;
      bucketRefreshInterval = c.bucketRefreshInterval;
      getQuorum = c.getQuorum;
      maxKeyBytes = c.maxKeyBytes;
      maxValueBytes = c.maxValueBytes;
      defaultTtl = c.defaultTtl;
      maxTtl = c.maxTtl;
      maxRecords = c.maxRecords;
      maxStoredBytes = c.maxStoredBytes;
      expiryInterval = c.expiryInterval;
      republishInterval = c.republishInterval;
      contactFreshness = c.contactFreshness;
      writeQuorum = c.writeQuorum;
      maxRejoinBackoff = c.maxRejoinBackoff;
      contactSaveDelay = c.contactSaveDelay;
      maxClockSkew = c.maxClockSkew;
      subnetBucketLimit = c.subnetBucketLimit;
      subnetTableLimit = c.subnetTableLimit;
      exemptLoopback = c.exemptLoopback;
      exemptPrivate = c.exemptPrivate;
      maxRecordsPerPeer = c.maxRecordsPerPeer;
      maxBytesPerPeer = c.maxBytesPerPeer;
      peerRateLimit = c.peerRateLimit;
      maxCallsPerConnection = c.maxCallsPerConnection;
      maxConnectionsPerAddress = c.maxConnectionsPerAddress;
      maxQueuedCalls = c.maxQueuedCalls;
      maxServiceEntries = c.maxServiceEntries;
      maxEntriesPerAnnouncer = c.maxEntriesPerAnnouncer;
      watch = c.watch;
    }

    public Builder network(String v) { network = v; return this; }
    public Builder k(int v) { k = v; return this; }
    public Builder alpha(int v) { alpha = v; return this; }
    public Builder rpcTimeout(Duration v) { rpcTimeout = v; return this; }
    public Builder operationTimeout(Duration v) { operationTimeout = v; return this; }
    public Builder maxFailures(int v) { maxFailures = v; return this; }
    public Builder replacementCacheSize(int v) { replacementCacheSize = v; return this; }
    public Builder bucketRefreshInterval(Duration v) { bucketRefreshInterval = v; return this; }
    public Builder getQuorum(int v) { getQuorum = v; return this; }
    public Builder maxKeyBytes(int v) { maxKeyBytes = v; return this; }
    public Builder maxValueBytes(int v) { maxValueBytes = v; return this; }
    public Builder defaultTtl(Duration v) { defaultTtl = v; return this; }
    public Builder maxTtl(Duration v) { maxTtl = v; return this; }
    public Builder maxRecords(long v) { maxRecords = v; return this; }
    public Builder maxStoredBytes(long v) { maxStoredBytes = v; return this; }
    public Builder expiryInterval(Duration v) { expiryInterval = v; return this; }
    public Builder republishInterval(Duration v) { republishInterval = v; return this; }
    public Builder contactFreshness(Duration v) { contactFreshness = v; return this; }
    public Builder writeQuorum(int v) { writeQuorum = v; return this; }
    public Builder maxRejoinBackoff(Duration v) { maxRejoinBackoff = v; return this; }
    public Builder contactSaveDelay(Duration v) { contactSaveDelay = v; return this; }
    public Builder maxClockSkew(Duration v) { maxClockSkew = v; return this; }
    public Builder subnetBucketLimit(int v) { subnetBucketLimit = v; return this; }
    public Builder subnetTableLimit(int v) { subnetTableLimit = v; return this; }
    public Builder exemptLoopback(boolean v) { exemptLoopback = v; return this; }
    public Builder exemptPrivate(boolean v) { exemptPrivate = v; return this; }
    /** Clamped to maxRecords. */
    public Builder maxRecordsPerPeer(long v) { maxRecordsPerPeer = v; return this; }
    /** Clamped to maxStoredBytes. */
    public Builder maxBytesPerPeer(long v) { maxBytesPerPeer = v; return this; }
    public Builder peerRateLimit(int v) { peerRateLimit = v; return this; }
    public Builder maxCallsPerConnection(int v) { maxCallsPerConnection = v; return this; }
    public Builder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
    public Builder maxQueuedCalls(int v) { maxQueuedCalls = v; return this; }
    public Builder maxServiceEntries(int v) { maxServiceEntries = v; return this; }
    /** Clamped to maxServiceEntries. */
    public Builder maxEntriesPerAnnouncer(int v) { maxEntriesPerAnnouncer = v; return this; }
    public Builder watch(WatchLimits v) { watch = v; return this; }

    public NodeConfig build() {
      return new NodeConfig(network, k, alpha, rpcTimeout, operationTimeout, maxFailures,
          replacementCacheSize, bucketRefreshInterval, Math.min(getQuorum, k), maxKeyBytes,
          maxValueBytes, defaultTtl, maxTtl, maxRecords, maxStoredBytes, expiryInterval,
          republishInterval, contactFreshness, Math.min(writeQuorum, k), maxRejoinBackoff,
          contactSaveDelay, maxClockSkew, Math.min(subnetBucketLimit, k), subnetTableLimit,
          exemptLoopback, exemptPrivate, Math.min(maxRecordsPerPeer, maxRecords),
          Math.min(maxBytesPerPeer, maxStoredBytes), peerRateLimit, maxCallsPerConnection,
          maxConnectionsPerAddress, maxQueuedCalls, maxServiceEntries,
          Math.min(maxEntriesPerAnnouncer, maxServiceEntries), watch);
    }
  }
}
