package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.lookup.LookupResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * After a Get, writes the newest record found back to the replicas among the k closest that
 * answered an older version, or no record while closer to the key than one that answered with it
 * (a replica that missed a write, or a newcomer not yet handed its records). Replicas whose answer the Get did not wait for are left alone: in a
 * healthy mesh they hold the newest version, and a blind STORE of the whole value to each would
 * cost a Get more than its lookup did. The paper's §2.3 stores a found value at the closest node that lacked it,
 * for caching; here the same move, limited to the k closest, repairs replicas. Runs later on the
 * scheduler, so the Get answers first and pays no latency for it.
 */
final class ReadRepair {
  private final NodeConfig config;
  private final Contact self;
  private final Scheduler scheduler;
  private final ReplicaWriter writer;
  private final NodeMetrics metrics;

  ReadRepair(NodeConfig config, Contact self, Scheduler scheduler, ReplicaWriter writer,
      NodeMetrics metrics) {
    this.config = config;
    this.self = self;
    this.scheduler = scheduler;
    this.writer = writer;
    this.metrics = metrics;
  }

  /**
   * Schedules the repair for what a FIND_VALUE lookup found. {@code selfAmongClosest}: this node
   * is among the k closest to the key, and {@code local} is what it held then (null for nothing);
   * {@code quorum}: the record answers the lookup stopped at.
   */
  void after(LookupResult found, boolean selfAmongClosest, ValueRecord local, int quorum) {
    if (found.record().isEmpty()) return;
    ValueRecord newest = found.record().get();
    List<Contact> behind = new ArrayList<>();
    List<Contact> closest = found.closest();
    // A lookup that ended at its quorum may not have heard the k closest: a contact that answered
    // it without the record is then behind only if it is closer to the key than one that holds
    // it (this node included); farther ones were its way there, and a STORE to them would place a
    // copy off the replicas. A lookup that did hear the k closest repairs every one of them.
    NodeId farthestHolder = null;
    if (found.recordAnswers() >= quorum) {
      NodeId key = newest.key();
      if (selfAmongClosest && local != null) farthestHolder = self.id();
      for (Contact c : closest) {
        if (found.versions().containsKey(c.id()) && (farthestHolder == null
            || key.compareDistance(c.id(), farthestHolder) > 0)) {
          farthestHolder = c.id();
        }
      }
    }
    for (Contact c : closest) {
      Version held = found.versions().get(c.id());
      boolean replica = held != null || farthestHolder == null
          || newest.key().compareDistance(c.id(), farthestHolder) < 0;
      if (replica && isBehind(held, newest)) behind.add(c);
    }
    if (selfAmongClosest && isBehind(local == null ? null : local.version(), newest)) {
      behind.add(self);
    }
    if (behind.isEmpty()) return;
    scheduler.schedule(Duration.ZERO, () -> {
      if (newest.isExpiredAt(scheduler.now())) return;
      // Best effort: a replica that refuses or fails is left to republish.
      writer.write(newest, behind, scheduler.now().plus(config.operationTimeout()))
          .thenAccept(w -> {
            if (w.replicas() > 0) metrics.readRepaired(w.replicas());
          });
    });
  }

  private static boolean isBehind(Version held, ValueRecord newest) {
    return held == null || newest.version().isNewerThan(held);
  }
}
