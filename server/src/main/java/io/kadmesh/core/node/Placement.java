package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.RecordStore.PeerQuota;
import io.kadmesh.core.storage.RecordStore.PutOutcome;
import io.kadmesh.core.storage.RecordStore.Usage;
import java.time.Instant;
import java.util.List;

/**
 * Decides whether a record may be placed in this node's store, and places it: a peer may place
 * records only for keys this node is among the closest to, and only up to its quota of records
 * and bytes ({@code --max-records-per-peer}, {@code --max-bytes-per-peer}), so that one sender
 * can neither fill the store nor park records on nodes that will never be asked for them. This
 * node's own writes are bound by the store's limits alone.
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

  Placement(NodeConfig config, NodeId self, RoutingTable table, RecordStore store) {
    this.config = config;
    this.self = self;
    this.table = table;
    this.store = store;
    this.quota = new PeerQuota(config.maxRecordsPerPeer(), config.maxBytesPerPeer());
  }

  /**
   * Refuses (RESOURCE_EXHAUSTED) a peer's STORE for {@code key} when this node knows k live
   * contacts closer to the key than itself: then it is not among the k closest as far as it can
   * tell, and no honest sender that looked the key up would pick it.
   *
   * <p>Why k and not k plus some slack: all the contacts closer to a key than this node share
   * one bucket (the one for the key's prefix length with this node's ID), which holds at most k
   * live contacts, so k closer contacts is the most a k-bucket table can know. The slack for views
   * that differ is built in: a sender's lookup that asked this node heard of those k from it, so
   * it picks this node only when they did not answer it, and this node counts them only while
   * they answer this node (stale contacts are left out).
   */
  void requireAmongClosest(NodeId key) {
    int k = config.k();
    List<Contact> closest = table.closest(key, k);
    int closer = 0;
    for (Contact c : closest) {
      if (key.compareDistance(c.id(), self) < 0) closer++;
    }
    if (closer >= k) {
      throw DhtException.exhausted("this node is not among the closest to key " + key.shortHex()
          + ": it knows " + closer + " closer nodes (it accepts a STORE while it knows fewer than "
          + "k = " + k + ", --k)");
    }
  }

  /**
   * Stores {@code record}, placed by {@code placer} (null: this node); a full store or quota is
   * retried once after a purge of expired records. True when the record's version is now held,
   * false when a newer one is. Throws RESOURCE_EXHAUSTED when the store or the placer's quota is
   * full.
   */
  boolean put(ValueRecord record, NodeId placer, Instant now) {
    PutOutcome outcome = store.put(record, placer, quota);
    if ((outcome == PutOutcome.FULL || outcome == PutOutcome.SENDER_FULL)
        && store.purgeExpired(now) > 0) {
      outcome = store.put(record, placer, quota);
    }
    return switch (outcome) {
      case STORED, ALREADY_HELD -> true;
      case STALE -> false;
      case FULL -> throw DhtException.exhausted("storage is full: the limits are "
          + config.maxRecords() + " records and " + config.maxStoredBytes() + " bytes");
      case SENDER_FULL -> throw senderFull(placer);
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
