package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The second half of a Put or Delete (paper §2.3: "STORE RPCs to the k closest"): sends the record
 * to each target, counts the replicas that kept it, and answers within the deadline. A replica
 * that refused the record because it holds a newer version reports that version; once the record
 * gate's skew bound has accepted it and this node's clock has moved past it, the write may fail as
 * lost to it ({@link #lostTo}) rather than as unavailable, and a retry wins. A replica that refused
 * a signed record reports the seq it holds instead; the write then fails as lost to that seq
 * ({@link #lostToSeq}), and only the owner can write past it.
 */
final class ReplicaWriter {
  /** This node's side of a STORE to itself. */
  @FunctionalInterface
  interface LocalStore {
    /**
     * Stores {@code record} here; {@code ownWrite}: the record is this node's own new write (a
     * Put, Delete, PutSigned or PutContent), not one found elsewhere (republish, read repair).
     */
    StoreResult store(ValueRecord record, boolean ownWrite);
  }

  private final NodeConfig config;
  private final Contact self;
  private final PeerTransport transport;
  private final Scheduler scheduler;
  private final ContactLiveness liveness;
  private final LocalStore storeLocally;
  private final Limits limits;
  private final VersionClock clock;

  /** {@code clock}: moved past each newer version held that {@code limits} finds believable. */
  ReplicaWriter(NodeConfig config, Contact self, PeerTransport transport, Scheduler scheduler,
      ContactLiveness liveness, LocalStore storeLocally, Limits limits,
      VersionClock clock) {
    this.config = config;
    this.self = self;
    this.transport = transport;
    this.scheduler = scheduler;
    this.liveness = liveness;
    this.storeLocally = storeLocally;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * The failure of a write that did not reach its replicas because {@code newer} was held: says
   * who won and when, and that a retry (now with a version past it) writes over it.
   */
  static DhtException lostTo(Version newer) {
    return DhtException.conflict("a newer version of this key exists (written by "
        + newer.writer().shortHex() + " at " + VersionClock.instant(newer.sequence())
        + "); this write lost: retry to write over it");
  }

  /** The failure of a signed write that replicas refused because they hold {@code seq}. */
  static DhtException lostToSeq(long seq, ValueRecord record) {
    return DhtException.conflict("replicas hold a signed record of this key with seq " + seq
        + ", which wins over seq " + record.signature().seq() + ": write with a seq above " + seq);
  }

  /** The k closest of the live nodes found and this node itself (paper §2.3, §2.5). */
  List<Contact> closestWithSelf(NodeId key, List<Contact> found) {
    List<Contact> all = new ArrayList<>(found);
    all.removeIf(c -> c.id().equals(self.id()));
    all.add(self);
    all.sort(Comparator.comparing(Contact::id, key::compareDistance));
    return List.copyOf(all.subList(0, Math.min(config.k(), all.size())));
  }

  /**
   * The targets of a new write: the k closest of {@code found} and this node, which the STOREs'
   * answers may widen ({@link ReplicaTargets}).
   */
  ReplicaTargets targetsWithSelf(NodeId key, List<Contact> found) {
    List<Contact> all = new ArrayList<>(found.size() + 1);
    for (Contact c : found) {
      if (!c.id().equals(self.id())) all.add(c);
    }
    all.add(self);
    return new ReplicaTargets(key, self.id(), config.k(), all);
  }

  /**
   * Stores {@code record}, found elsewhere (republish, hand-off, read repair), on {@code targets}
   * (this node among them or not); this node's copy passes the record gate first.
   */
  CompletableFuture<WriteResult> write(ValueRecord record, List<Contact> targets, Instant deadline) {
    return write(record, targets, deadline, false);
  }

  /** Stores this node's own new write on {@code targets}. */
  CompletableFuture<WriteResult> writeOwn(ValueRecord record, List<Contact> targets,
      Instant deadline) {
    return write(record, targets, null, deadline, true);
  }

  /**
   * Stores this node's own new write on the k closest of {@code targets}' candidates, and on
   * each that the STOREs' answers reveal closer, or that takes the place of one whose STORE
   * failed ({@link ReplicaTargets}).
   */
  CompletableFuture<WriteResult> placeOwn(ValueRecord record, ReplicaTargets targets,
      Instant deadline) {
    return write(record, null, targets, deadline, true);
  }

  private CompletableFuture<WriteResult> write(ValueRecord record, List<Contact> targets,
      Instant deadline, boolean ownWrite) {
    return write(record, targets, null, deadline, ownWrite);
  }

  /** Exactly one of {@code fixed} and {@code spread} is not null. */
  private CompletableFuture<WriteResult> write(ValueRecord record, List<Contact> fixed,
      ReplicaTargets spread, Instant deadline, boolean ownWrite) {
    CompletableFuture<WriteResult> out = new CompletableFuture<>();
    Duration left = Duration.between(scheduler.now(), deadline);
    if (left.isNegative() || left.isZero()) {
      out.completeExceptionally(DhtException.deadlineExceeded("the deadline passed before the store"));
      return out;
    }
    List<Contact> targets = spread == null ? fixed : spread.first();
    if (targets.isEmpty()) {
      out.completeExceptionally(DhtException.unavailable("no live node stored the record"));
      return out;
    }
    Scheduler.Cancellable timer = scheduler.schedule(left, () -> out.completeExceptionally(
        DhtException.deadlineExceeded("the write passed its deadline after the lookup")));
    Tally tally = new Tally(targets.size(), record, out, timer, spread);
    sendAll(targets, record, tally, ownWrite);
    return out;
  }

  private void sendAll(List<Contact> targets, ValueRecord record, Tally tally, boolean ownWrite) {
    for (Contact target : targets) {
      if (target.id().equals(self.id())) {
        List<Contact> next;
        try {
          StoreResult answer = storeLocally.store(record, ownWrite);
          next = tally.settle(target, outcomeOf(answer, record), null, answer, false);
        } catch (DhtException e) {
          Outcome refused = e.reason() == DhtException.Reason.RESOURCE_EXHAUSTED ? Outcome.FULL : Outcome.NOT_KEPT;
          next = tally.settle(target, refused, e.getMessage(), null, false);
        }
        sendAll(next, record, tally, ownWrite);
        continue;
      }
      Timeouts.within(transport.store(target, record), config.rpcTimeout(), scheduler, "store")
          .whenComplete((answer, e) -> {
            Outcome outcome;
            String why = null;
            StoreResult answered = null;
            boolean unreachable = false;
            if (e == null) {
              liveness.seen(target);
              outcome = outcomeOf(answer, record);
              answered = answer;
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
              unreachable = true;
            }
            sendAll(tally.settle(target, outcome, why, answered, unreachable), record, tally,
                ownWrite);
          });
    }
  }

  /**
   * A target's answer as the tally counts it. A newer version held counts only when it is newer
   * than the record and within the record gate's skew bound ({@link Limits#isWithinSkew}); then
   * this node's clock moves past it, so that a retry wins. Any other claim is a replica failing: it
   * must not move the clock (a lying peer could push it into the future) nor turn the write's
   * failure into "lost". For a signed record, a held seq as high as the record's counts (the seq
   * is no clock: nothing to bound, nothing to observe).
   */
  private Outcome outcomeOf(StoreResult answer, ValueRecord record) {
    if (answer.stored()) return Outcome.KEPT;
    if (ValueRecord.isSignedKind(record.kind())) {
      return answer.heldSeq() >= record.signature().seq() ? Outcome.NEWER_HELD : Outcome.NOT_KEPT;
    }
    Version newer = answer.newerHeld();
    if (newer == null || !newer.isNewerThan(record.version())
        || !limits.isWithinSkew(newer, scheduler.now())) {
      return Outcome.NOT_KEPT;
    }
    clock.observe(newer);
    return Outcome.NEWER_HELD;
  }

  /** What one target did with the record. */
  private enum Outcome { KEPT, NOT_KEPT, FULL, NEWER_HELD }

  /**
   * Counts answers; the last one completes the write. With {@link ReplicaTargets}, each answer may
   * add targets, counted as outstanding before the answer that named them is.
   */
  private static final class Tally {
    private final ValueRecord record;
    private final CompletableFuture<WriteResult> out;
    private final Scheduler.Cancellable timer;
    private final ReplicaTargets spread;
    private int outstanding;
    private int replicas;
    private String fullReason;
    private Version newestHeld;
    private long highestSeq;

    Tally(int outstanding, ValueRecord record, CompletableFuture<WriteResult> out,
        Scheduler.Cancellable timer, ReplicaTargets spread) {
      this.outstanding = outstanding;
      this.record = record;
      this.out = out;
      this.timer = timer;
      this.spread = spread;
    }

    /**
     * {@code why}: the refusal's reason when the target refused the record as FULL; {@code
     * answer}: its STORE answer, whose newer version or seq held counts for NEWER_HELD only, and
     * whose closer contacts may add targets; {@code unreachable}: the target did not answer.
     * Answers the targets to send to next (already counted as outstanding).
     */
    List<Contact> settle(Contact target, Outcome outcome, String why, StoreResult answer,
        boolean unreachable) {
      int kept;
      String full;
      Version newer;
      long seq;
      synchronized (this) {
        List<Contact> next = List.of();
        if (spread != null && !out.isDone()) {
          next = unreachable ? spread.failed(target)
              : answer == null ? List.of() : spread.answered(target, answer.closer());
          outstanding += next.size();
        }
        if (outcome == Outcome.KEPT) replicas++;
        if (outcome == Outcome.FULL && fullReason == null) fullReason = why;
        if (outcome == Outcome.NEWER_HELD) {
          Version v = answer.newerHeld();
          if (v != null && (newestHeld == null || v.isNewerThan(newestHeld))) newestHeld = v;
          highestSeq = Math.max(highestSeq, answer.heldSeq());
        }
        if (--outstanding != 0) return next;
        // STORE answers may have widened a write past k nodes (closer nodes it had not known):
        // the answer counts the k closest of those that kept it, as PutResponse.replicas promises.
        kept = spread == null ? replicas : Math.min(replicas, spread.k());
        full = fullReason;
        newer = newestHeld;
        seq = highestSeq;
      }
      timer.cancel();
      if (kept > 0) {
        out.complete(new WriteResult(kept, record.version(), record.expiresAt(), newer, seq));
      } else if (newer != null) {
        // Before "full": a retry wins over the newer version, whereas room is not the caller's to make.
        out.completeExceptionally(lostTo(newer));
      } else if (seq > 0) {
        out.completeExceptionally(lostToSeq(seq, record));
      } else if (full != null) {
        // The caller can act on "full" (smaller values, fewer keys); "unavailable" would mislead.
        out.completeExceptionally(DhtException.exhausted("no replica had room for the record ("
            + full + ")"));
      } else {
        out.completeExceptionally(DhtException.unavailable("no live node stored the record"));
      }
      return List.of();
    }
  }
}
