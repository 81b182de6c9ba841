package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * The second half of a Put or Delete (paper §2.3: "STORE RPCs to the k closest"): sends the record
 * to each target, counts the replicas that kept it, and answers within the deadline.
 */
final class ReplicaWriter {
  private final NodeConfig config;
  private final Contact self;
  private final PeerTransport transport;
  private final Scheduler scheduler;
  private final ContactLiveness liveness;
  private final Predicate<ValueRecord> storeLocally;

  ReplicaWriter(NodeConfig config, Contact self, PeerTransport transport, Scheduler scheduler,
      ContactLiveness liveness, Predicate<ValueRecord> storeLocally) {
    this.config = config;
    this.self = self;
    this.transport = transport;
    this.scheduler = scheduler;
    this.liveness = liveness;
    this.storeLocally = storeLocally;
  }

  /** The k closest of the live nodes found and this node itself (paper §2.3, §2.5). */
  List<Contact> closestWithSelf(NodeId key, List<Contact> found) {
    List<Contact> all = new ArrayList<>(found);
    all.removeIf(c -> c.id().equals(self.id()));
    all.add(self);
    all.sort(Comparator.comparing(Contact::id, key::compareDistance));
    return List.copyOf(all.subList(0, Math.min(config.k(), all.size())));
  }

  /** Stores {@code record} on {@code targets} (this node among them or not). */
  CompletableFuture<WriteResult> write(ValueRecord record, List<Contact> targets, Instant deadline) {
    CompletableFuture<WriteResult> out = new CompletableFuture<>();
    Duration left = Duration.between(scheduler.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      out.completeExceptionally(DhtException.deadlineExceeded("the deadline passed before the store"));
      return out;
    }
    if (targets.isEmpty()) {
      out.completeExceptionally(DhtException.unavailable("no live node stored the record"));
      return out;
    }
    Scheduler.Cancellable timer = scheduler.schedule(left, () -> out.completeExceptionally(
        DhtException.deadlineExceeded("the write passed its deadline after the lookup")));
    Tally tally = new Tally(targets.size());
    for (Contact target : targets) {
      if (target.id().equals(self.id())) {
        try {
          tally.settle(storeLocally.test(record) ? Outcome.KEPT : Outcome.NOT_KEPT, null, out, record, timer);
        } catch (DhtException e) {
          Outcome refused = e.reason() == DhtException.Reason.RESOURCE_EXHAUSTED ? Outcome.FULL : Outcome.NOT_KEPT;
          tally.settle(refused, e.getMessage(), out, record, timer);
        }
        continue;
      }
      Timeouts.within(transport.store(target, record), config.rpcTimeout(), scheduler, "store")
          .whenComplete((kept, e) -> {
            Outcome outcome;
            String why = null;
            if (e == null) {
              liveness.seen(target);
              outcome = Boolean.TRUE.equals(kept) ? Outcome.KEPT : Outcome.NOT_KEPT;
            } else if (Timeouts.unwrap(e) instanceof DhtException d
                && (d.reason() == DhtException.Reason.RESOURCE_EXHAUSTED
                    || d.reason() == DhtException.Reason.INVALID_ARGUMENT)) {
              // It answered with a refusal (full, invalid): alive, just not keeping it.
              liveness.seen(target);
              outcome = d.reason() == DhtException.Reason.RESOURCE_EXHAUSTED ? Outcome.FULL : Outcome.NOT_KEPT;
              why = d.getMessage();
            } else {
              liveness.failed(target);
              outcome = Outcome.NOT_KEPT;
            }
            tally.settle(outcome, why, out, record, timer);
          });
    }
    return out;
  }

  /** What one target did with the record. */
  private enum Outcome { KEPT, NOT_KEPT, FULL }

  /** Counts answers; the last one completes the write. */
  private static final class Tally {
    private int outstanding;
    private int replicas;
    private String fullReason;

    Tally(int outstanding) {
      this.outstanding = outstanding;
    }

    /** {@code why}: the refusal's reason, when the target refused the record. */
    void settle(Outcome outcome, String why, CompletableFuture<WriteResult> out, ValueRecord record,
        Scheduler.Cancellable timer) {
      int kept;
      String full;
      synchronized (this) {
        if (outcome == Outcome.KEPT) replicas++;
        if (outcome == Outcome.FULL && fullReason == null) fullReason = why;
        if (--outstanding != 0) return;
        kept = replicas;
        full = fullReason;
      }
      timer.cancel();
      if (kept > 0) {
        out.complete(new WriteResult(kept, record.version(), record.expiresAt()));
      } else if (full != null) {
        // The caller can act on "full" (smaller values, fewer keys); "unavailable" would mislead.
        out.completeExceptionally(DhtException.exhausted("no replica had room for the record ("
            + full + ")"));
      } else {
        out.completeExceptionally(DhtException.unavailable("no live node stored the record"));
      }
    }
  }
}
