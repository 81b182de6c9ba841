package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.storage.RecordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * One Kademlia node: composes the routing table, lookups and the record store, answers peers'
 * requests and runs the application's put/get/delete. Thread-safe. Knows nothing of gRPC.
 */
public final class KademliaNode implements AutoCloseable {

  /** The outcome of a Put or Delete. */
  public record WriteResult(int replicas, io.kadmesh.core.Version version, Instant expiresAt) {}

  /** One non-empty k-bucket, for `kadmesh info`. */
  public record BucketStats(int index, int contacts, int replacements) {}

  public KademliaNode(NodeConfig config, Contact self, PeerTransport transport, RecordStore store,
      Scheduler scheduler, Random random) {
    throw new UnsupportedOperationException("TODO");
  }

  public Contact self() { throw new UnsupportedOperationException("TODO"); }

  public NodeConfig config() { throw new UnsupportedOperationException("TODO"); }

  public RecordStore store() { throw new UnsupportedOperationException("TODO"); }

  /** Schedules the maintenance jobs (bucket refresh, expiry purge). Idempotent. */
  public void start() { throw new UnsupportedOperationException("TODO"); }

  /**
   * Joins the network through these peer addresses (paper §2.3): pings them, looks up its own ID,
   * then refreshes the buckets further away. Completes when done; completes normally even when no
   * bootstrap answered (the node then runs alone and {@link #isJoined()} stays false until a peer
   * contacts it or a later refresh reaches one). An empty list means "run alone".
   */
  public CompletableFuture<Void> join(List<String> bootstrapAddresses) { throw new UnsupportedOperationException("TODO"); }

  /** True once the node knows at least one other live contact, or was told to run alone. */
  public boolean isJoined() { throw new UnsupportedOperationException("TODO"); }

  /** Cancels maintenance and in-flight lookups. Does not close the store: its owner does. */
  @Override
  public void close() { throw new UnsupportedOperationException("TODO"); }

  // ---- requests from peers (the peer service validated them) ----------------------------------

  /** PING. {@code sender} is null for callers that are not nodes. */
  public void handlePing(Contact sender) { throw new UnsupportedOperationException("TODO"); }

  /** FIND_NODE: up to k contacts closest to {@code target}, never the sender. */
  public List<Contact> handleFindNode(Contact sender, NodeId target) { throw new UnsupportedOperationException("TODO"); }

  /** FIND_VALUE: the record held (closest left empty), or else the k closest contacts. */
  public FoundValue handleFindValue(Contact sender, NodeId key) { throw new UnsupportedOperationException("TODO"); }

  /**
   * STORE: true when this node now holds the record's version, false when it holds a newer one.
   * Throws {@link io.kadmesh.core.DhtException} INVALID_ARGUMENT for a value over the limit or an
   * expiry beyond the maximum TTL, RESOURCE_EXHAUSTED when the store is full.
   */
  public boolean handleStore(Contact sender, ValueRecord record) { throw new UnsupportedOperationException("TODO"); }

  // ---- the application's operations -----------------------------------------------------------

  /**
   * Stores {@code value} on the k closest live nodes to {@code key} (this node included when it is
   * among them). {@code ttl} null means the default; {@code timeout} null means the configured
   * operation timeout. Fails with DhtException: INVALID_ARGUMENT (bad TTL), RESOURCE_EXHAUSTED
   * (value too large), UNAVAILABLE (no node kept it), DEADLINE_EXCEEDED.
   */
  public CompletableFuture<WriteResult> put(NodeId key, byte[] value, Duration ttl, Duration timeout) { throw new UnsupportedOperationException("TODO"); }

  /** The newest record the lookup finds, tombstones included; empty when none is found. */
  public CompletableFuture<Optional<ValueRecord>> get(NodeId key, Duration timeout) { throw new UnsupportedOperationException("TODO"); }

  /** Writes a tombstone to the k closest live nodes; fails as {@link #put} does. */
  public CompletableFuture<WriteResult> delete(NodeId key, Duration timeout) { throw new UnsupportedOperationException("TODO"); }

  // ---- introspection ----------------------------------------------------------------------------

  /** Every contact in the routing table. */
  public List<Contact> contacts() { throw new UnsupportedOperationException("TODO"); }

  /** The non-empty buckets, by index (shared prefix length with this node's ID). */
  public List<BucketStats> bucketStats() { throw new UnsupportedOperationException("TODO"); }
}
