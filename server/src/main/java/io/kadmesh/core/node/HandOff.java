package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.RecordStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Gives a newcomer the records it should hold without waiting for republish (paper §2.5, last
 * paragraph): when a contact enters the routing table, every record for which it is now among the
 * k closest nodes this node knows is stored on it, but only by a node that is itself closer to
 * the key than every other node it knows, so that one node sends each record rather than all k.
 *
 * <p>Never runs in the caller's thread nor on the scheduler's: newcomers are queued and a pass
 * walks the store later, a page at a time, as blocking work ({@link StoreWalk}); newcomers that
 * arrive meanwhile wait for the next pass, so a burst of joins costs one scan per pass, and at
 * most {@link #PARALLELISM} records are being stored at once. A scan costs one {@code closest}
 * query per record held. At most {@link #MAX_PENDING} newcomers wait for a pass.
 */
final class HandOff {
  /** STOREs to newcomers in flight at once. */
  static final int PARALLELISM = 16;

  /**
   * Newcomers that wait for the next pass; beyond it the longest waiting is dropped. A dropped
   * newcomer gets its records from the next republish round, as it would without hand-off, so
   * the bound costs only time, and a flood of contacts entering the table costs no memory.
   */
  static final int MAX_PENDING = 1024;

  private final NodeConfig config;
  private final Contact self;
  private final RoutingTable table;
  private final RecordStore store;
  private final Scheduler scheduler;
  private final ReplicaWriter writer;
  private final Limits limits;
  private final NodeMetrics metrics;
  private final Map<NodeId, Contact> pending = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<NodeId, Contact> eldest) {
      return size() > MAX_PENDING;
    }
  };
  private boolean passScheduled;
  private boolean stopped;

  HandOff(NodeConfig config, Contact self, RoutingTable table, RecordStore store,
      Scheduler scheduler, ReplicaWriter writer, Limits limits, NodeMetrics metrics) {
    this.limits = limits;
    this.config = config;
    this.self = self;
    this.table = table;
    this.store = store;
    this.scheduler = scheduler;
    this.writer = writer;
    this.metrics = metrics;
  }

  /** {@code contact} was just added to the routing table. Returns at once. */
  void newContact(Contact contact) {
    synchronized (this) {
      if (stopped) return;
      pending.put(contact.id(), contact);
      if (passScheduled) return;
      passScheduled = true;
    }
    scheduler.schedule(Duration.ZERO, this::pass);
  }

  /** No more hand-offs (the node is leaving or closing). */
  synchronized void stop() {
    stopped = true;
    pending.clear();
  }

  private void pass() {
    List<Contact> newcomers;
    synchronized (this) {
      newcomers = new ArrayList<>(pending.values());
      pending.clear();
    }
    StoreWalk.run(store, scheduler, PARALLELISM, record -> true, record -> {
          List<Contact> to = recipients(record.key(), newcomers);
          // Checked only for records to send (a signature costs a verification): one that no
          // longer passes the record gate (an older build's, a corrupted store's) must not spread.
          return to.isEmpty() || !limits.admits(record, scheduler.now())
              ? CompletableFuture.completedFuture(null)
              : writer.write(record, to, scheduler.now().plus(config.operationTimeout()))
                  .thenApply(w -> {
                    if (w.replicas() > 0) metrics.handedOff(1);
                    return w;
                  });
        }, this::running)
        .whenComplete((n, e) -> passDone());
  }

  private synchronized boolean running() {
    return !stopped;
  }

  /** Newcomers waiting for a pass (for tests). */
  synchronized int pendingNewcomers() {
    return pending.size();
  }

  private void passDone() {
    boolean again;
    synchronized (this) {
      again = !pending.isEmpty() && !stopped;
      passScheduled = again;
    }
    if (again) scheduler.schedule(Duration.ZERO, this::pass);
  }

  /** The newcomers among the k closest to {@code key}, if this node is the closest of the rest. */
  private List<Contact> recipients(NodeId key, List<Contact> newcomers) {
    Set<NodeId> fresh = idsOf(newcomers);
    List<Contact> closest = table.closest(key, config.k());
    for (Contact c : closest) {
      if (fresh.contains(c.id())) continue;
      if (key.compareDistance(c.id(), self.id()) < 0) return List.of();
      break;
    }
    // Among the k closest of this node's contacts and itself.
    List<Contact> ranked = writer.closestWithSelf(key, closest);
    List<Contact> out = new ArrayList<>();
    for (Contact c : ranked) {
      if (fresh.contains(c.id())) out.add(c);
    }
    return out;
  }

  private static Set<NodeId> idsOf(List<Contact> contacts) {
    Set<NodeId> ids = new java.util.HashSet<>();
    for (Contact c : contacts) ids.add(c.id());
    return ids;
  }
}
