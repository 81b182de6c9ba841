package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.lookup.LookupResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * After a Get, writes the newest record found back to the replicas among the k closest that
 * answered an older version or no record (a replica that missed a write, or a newcomer not yet
 * handed its records). Replicas whose answer the Get did not wait for are left alone: in a
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
   * is among the k closest to the key, and {@code local} is what it held then (null for nothing).
   */
  void after(LookupResult found, boolean selfAmongClosest, ValueRecord local) {
    if (found.record().isEmpty()) return;
    ValueRecord newest = found.record().get();
    List<Contact> behind = new ArrayList<>();
    for (Contact c : found.closest()) {
      if (isBehind(found.versions().get(c.id()), newest)) behind.add(c);
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
