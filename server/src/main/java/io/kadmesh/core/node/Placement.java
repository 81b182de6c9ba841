package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.StoredKey;
import io.kadmesh.core.storage.RecordStore.PeerQuota;
import io.kadmesh.core.storage.RecordStore.PutOutcome;
import io.kadmesh.core.storage.RecordStore.Usage;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Decides whether a record may be placed in this node's store, and places it: a peer may place
 * records only for keys this node is among the closest to, and only up to its quota of records
 * and bytes ({@code --max-records-per-peer}, {@code --max-bytes-per-peer}), so that one sender
 * can neither fill the store nor park records on nodes that will never be asked for them. A
 * service's endpoint entries are bounded per service and per announcer key, whoever placed them
 * ({@code --max-service-entries}, {@code --max-entries-per-announcer}). This node's own writes
 * are otherwise bound by the store's limits alone.
 */
final class Placement {
  /**
   * The account of STOREs that name no sender: they share one quota, so that leaving the sender
   * out buys no more room than naming one.
   */
  static final NodeId ANONYMOUS = NodeId.fromBytes(new byte[NodeId.BYTES]);

  private final NodeConfig config;
  private final NodeId self;
  private final RoutingTable table;
  private final RecordStore store;
  private final PeerQuota quota;
  /** Held while an endpoint entry is counted against its service's quotas and put. */
  private final Object serviceLock = new Object();
  private final Consumer<ValueRecord> stored;

  Placement(NodeConfig config, NodeId self, RoutingTable table, RecordStore store) {
    this(config, self, table, store, r -> {});
  }

  /**
   * {@code stored}: told of every record the store takes as a new version, whoever sent it: the
   * one place that sees every change (Watch's replicas notify their subscribers from it).
   */
  Placement(NodeConfig config, NodeId self, RoutingTable table, RecordStore store,
      Consumer<ValueRecord> stored) {
    this.stored = stored;
    this.config = config;
    this.self = self;
    this.table = table;
    this.store = store;
    this.quota = new PeerQuota(config.maxRecordsPerPeer(), config.maxBytesPerPeer());
  }

  /**
   * How much farther from a key than the k-th closest contact it knows a node may be and still
   * take a peer's STORE for it. All the contacts closer to a key than this node share one bucket,
   * which holds at most k, so "it knows k + slack closer nodes" cannot be counted; it is
   * estimated instead from their density: nodes are spread evenly in XOR space, so a node d
   * away from the key while its k-th closest contact is d/m away ranks about m·k. A factor of 4
   * (rank about 4k, a slack of 3k) is what keeps honest senders out of reach of the refusal: a
   * sender's lookup passes over nodes this node still believes alive (crashed, partitioned, or
   * slow to answer it), so this node may rank well below k in its own view while being among the
   * k closest the sender could reach; a random far node, which a flood targets, sits at a ratio
   * of about N/k.
   */
  static final int DISTANCE_SLACK = 4;

  /**
   * Refuses (RESOURCE_EXHAUSTED) a peer's STORE for {@code key} when this node knows k live
   * contacts (the sender left out) closer to the key than itself, and it is more than {@link
   * #DISTANCE_SLACK} times as far from the key as the k-th of them.
   */
  void requireAmongClosest(NodeId key, NodeId sender) {
    int k = config.k();
    List<Contact> closest = table.closest(key, k + 1);
    closest.removeIf(c -> c.id().equals(sender));
    if (closest.size() < k) return;
    NodeId kth = closest.get(k - 1).id();
    if (key.compareDistance(kth, self) >= 0) return;
    BigInteger own = distance(self, key);
    BigInteger theirs = distance(kth, key);
    if (own.compareTo(theirs.multiply(BigInteger.valueOf(DISTANCE_SLACK))) > 0) {
      throw DhtException.exhausted("this node is not among the closest to key " + key.shortHex()
          + ": it knows " + k + " closer nodes, the farthest of them more than " + DISTANCE_SLACK
          + " times nearer to the key than this node (k = " + k + ", --k)");
    }
  }

  private static BigInteger distance(NodeId a, NodeId b) {
    return new BigInteger(1, a.xor(b).toBytes());
  }

  /**
   * Stores {@code record}, placed by {@code placer} (null: this node); a full store or quota is
   * retried once after a purge of expired records. True when the record's version is now held,
   * false when a newer one is. Throws RESOURCE_EXHAUSTED when the store or the placer's quota is
   * full.
   */
  boolean put(ValueRecord record, NodeId placer, Instant now) {
    return put(record, placer, now, NodeMetrics.NONE);
  }

  /** As the other, telling {@code refusals} why when it throws. */
  boolean put(ValueRecord record, NodeId placer, Instant now, NodeMetrics refusals) {
    if (record.kind() != RecordKind.ENDPOINT) {
      return place(record, placer, now, refusals);
    }
    // The count and the put are one step, so that racing STOREs cannot pass the quota together.
    synchronized (serviceLock) {
      requireServiceRoom(record, now, refusals);
      return place(record, placer, now, refusals);
    }
  }

  /**
   * Refuses (RESOURCE_EXHAUSTED) a new endpoint entry, one whose announcer key and address hold no
   * entry here yet, when its service already has {@code --max-service-entries} entries here, or
   * its announcer key {@code --max-entries-per-announcer} of them. A newer state of an entry held
   * (a renewal, a withdrawal) takes no new room and always passes.
   */
  private void requireServiceRoom(ValueRecord record, Instant now, NodeMetrics refusals) {
    StoredKey at = StoredKey.of(record);
    List<ValueRecord> held = store.getAll(record.key(), RecordKind.ENDPOINT, now);
    byte[] announcer = record.signature().publicKey();
    int sameAnnouncer = 0;
    for (ValueRecord r : held) {
      if (StoredKey.of(r).equals(at)) return;
      if (Arrays.equals(r.signature().publicKey(), announcer)) sameAnnouncer++;
    }
    if (held.size() >= config.maxServiceEntries()) {
      refusals.storeRefused(NodeMetrics.StoreRefusal.SERVICE_QUOTA);
      throw DhtException.exhausted("service key " + record.key().shortHex() + " already has "
          + held.size() + " endpoint entries here, the limit per service is "
          + config.maxServiceEntries() + " (--max-service-entries)");
    }
    if (sameAnnouncer >= config.maxEntriesPerAnnouncer()) {
      refusals.storeRefused(NodeMetrics.StoreRefusal.SERVICE_QUOTA);
      throw DhtException.exhausted("announcer key " + HexFormat.of().formatHex(announcer)
          + " already has " + sameAnnouncer + " endpoint entries for service key "
          + record.key().shortHex() + " here, the limit per announcer is "
          + config.maxEntriesPerAnnouncer() + " (--max-entries-per-announcer)");
    }
  }

  private boolean place(ValueRecord record, NodeId placer, Instant now, NodeMetrics refusals) {
    PutOutcome outcome = store.put(record, placer, quota);
    if ((outcome == PutOutcome.FULL || outcome == PutOutcome.SENDER_FULL)
        && store.purgeExpired(now) > 0) {
      outcome = store.put(record, placer, quota);
    }
    if (outcome == PutOutcome.STORED) {
      stored.accept(record);
    }
    return switch (outcome) {
      case STORED, ALREADY_HELD -> true;
      case STALE -> false;
      case FULL -> {
        refusals.storeRefused(NodeMetrics.StoreRefusal.FULL);
        throw DhtException.exhausted("storage is full: the limits are "
          + config.maxRecords() + " records and " + config.maxStoredBytes() + " bytes");
      }
      case SENDER_FULL -> {
        refusals.storeRefused(NodeMetrics.StoreRefusal.SENDER_QUOTA);
        throw senderFull(placer);
      }
    };
  }

  private DhtException senderFull(NodeId placer) {
    Usage u = store.placedBy(placer);
    return DhtException.exhausted("sender " + placer.shortHex() + "… has placed " + u.records()
        + " records / " + u.bytes() + " bytes here, the limit per peer is "
        + config.maxRecordsPerPeer() + " records / " + config.maxBytesPerPeer()
        + " bytes (--max-records-per-peer / --max-bytes-per-peer)");
  }
}
