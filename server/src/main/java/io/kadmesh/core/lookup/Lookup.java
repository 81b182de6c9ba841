package io.kadmesh.core.lookup;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one iterative lookup (paper §2.3) over a {@link LookupState}: keeps α requests in flight,
 * bounds each by the RPC timeout and the whole by a deadline, both on the injected scheduler, and
 * completes {@link #result()}. FIND_NODE ends when the k closest answered; FIND_VALUE also ends
 * once {@code quorum} answers carried a record, and yields the newest (by {@code Version}); a
 * lookup for a set spread over the replicas ({@link #findSet}) also ends once the {@code quorum}
 * closest that answered with part of it are known ({@link LookupState#closestHoldersKnown}). A
 * request unanswered after a quarter of the RPC timeout stops holding its α slot (its late answer
 * still counts), so that a lookup routes around dead or unreachable contacts in rounds of that
 * length rather than of the full timeout.
 *
 * <p>Thread-safe: answers arrive on any thread and are applied under this lookup's lock; requests
 * are sent and observers told outside it, so a transport that completes at once cannot re-enter.
 */
public final class Lookup {
  /** How lookups run: k and α (paper §2.3), the per-request timeout and where time comes from. */
  public record Settings(int k, int alpha, Duration rpcTimeout, Scheduler scheduler,
      LookupObserver observer) {}

  private final Settings settings;
  private final Function<Contact, CompletableFuture<FoundValue>> query;
  private final int quorum;
  /** Whether answers carry part of a set, counted toward the quorum by who holds it. */
  private final boolean set;
  private final Instant deadline;
  private final LookupState state;
  private final CompletableFuture<LookupResult> result = new CompletableFuture<>();
  private ValueRecord newest;
  private int recordAnswers;
  /** Whether an answer without the record came (a value lookup then routes α at a time). */
  private boolean answeredWithoutRecord;
  private final Map<NodeId, Version> versions = new HashMap<>();
  /** Each candidate's hop: 1 for a seed, one more than the contact whose answer named it. */
  private final Map<NodeId, Integer> depth = new HashMap<>();
  private int hops;
  private final AtomicInteger rpcs = new AtomicInteger();
  private Scheduler.Cancellable deadlineTimer;

  private Lookup(Settings settings, NodeId self, NodeId target, Collection<Contact> seeds,
      Function<Contact, CompletableFuture<FoundValue>> query, int quorum, boolean set,
      ValueRecord localAnswer, Instant deadline) {
    this.settings = settings;
    this.query = query;
    this.quorum = quorum;
    this.set = set;
    this.deadline = deadline;
    // Only a node lookup widens once converged: a value or set lookup stops at its quorum, and
    // asking all of the k closest at once would send requests whose answers it never waits for.
    boolean widen = !set && quorum == Integer.MAX_VALUE;
    this.state = new LookupState(target, self, settings.k(), settings.alpha(), widen, seeds);
    for (Contact c : seeds) {
      depth.put(c.id(), 1);
    }
    if (localAnswer != null) {
      newest = localAnswer;
      recordAnswers = 1;
    }
  }

  /**
   * A FIND_NODE lookup for {@code target}, starting from {@code seeds} (never asking
   * {@code self}); {@code query} sends one request and answers the contacts returned.
   */
  public static Lookup findNode(Settings settings, NodeId self, NodeId target,
      Collection<Contact> seeds, Function<Contact, CompletableFuture<List<Contact>>> query,
      Instant deadline) {
    return new Lookup(settings, self, target, seeds,
        c -> query.apply(c).thenApply(list -> new FoundValue(null, list)), Integer.MAX_VALUE,
        false, null, deadline);
  }

  /**
   * A FIND_VALUE lookup for {@code key}. {@code localAnswer}, when not null, is this node's own
   * record and counts as one answer toward the quorum.
   */
  public static Lookup findValue(Settings settings, NodeId self, NodeId key,
      Collection<Contact> seeds, Function<Contact, CompletableFuture<FoundValue>> query,
      int quorum, ValueRecord localAnswer, Instant deadline) {
    return new Lookup(settings, self, key, seeds, query, quorum, false, localAnswer, deadline);
  }

  /**
   * A lookup for a set spread over the replicas of {@code key} (a service's endpoint entries):
   * every answer brings contacts as in FIND_NODE, and one with {@link FoundValue#records()} holds
   * part of the set. Ends as FIND_NODE does, or once the {@code quorum} closest contacts that
   * answered holding part of it are known, every closer one having answered or stalled. A quorum
   * of 0 ends at once.
   */
  public static Lookup findSet(Settings settings, NodeId self, NodeId key,
      Collection<Contact> seeds, Function<Contact, CompletableFuture<FoundValue>> query,
      int quorum, Instant deadline) {
    return new Lookup(settings, self, key, seeds, query, quorum, true, null, deadline);
  }

  /** Starts sending requests; answers {@link #result()}. Call once. */
  public CompletableFuture<LookupResult> start() {
    Duration left = Duration.between(settings.scheduler().now(), deadline);
    if (left.isNegative() || left.isZero()) {
      fail(DhtException.deadlineExceeded("the deadline passed before the lookup started"));
      return result;
    }
    Scheduler.Cancellable timer = settings.scheduler().schedule(left, () -> fail(
        DhtException.deadlineExceeded("lookup of " + state.target().shortHex()
            + " passed its deadline")));
    synchronized (this) {
      deadlineTimer = timer;
    }
    step();
    return result;
  }

  /** Completes with the closest contacts and the newest record, or with the failure. */
  public CompletableFuture<LookupResult> result() {
    return result;
  }

  /**
   * The longest chain of answers this lookup has waited on so far: a seed that answered is one
   * hop, a contact first named in an answer from hop d is hop d + 1 (the round trips on its
   * critical path, what the paper's log2 N bound is about).
   */
  public synchronized int hops() {
    return hops;
  }

  /** The requests this lookup has sent so far. */
  public int rpcs() {
    return rpcs.get();
  }

  /** Abandons the lookup: the result fails with {@code cause}; answers still due are ignored. */
  public void cancel(DhtException cause) {
    fail(cause);
  }

  private void step() {
    List<Contact> toAsk;
    LookupResult done = null;
    synchronized (this) {
      if (result.isDone()) return;
      if (quorumReached() || state.isFinished()) {
        done = finishedResult();
        toAsk = List.of();
      } else {
        toAsk = state.next(inFlightLimit());
      }
    }
    if (done != null) {
      complete(done);
      return;
    }
    for (Contact c : toAsk) {
      ask(c);
    }
  }

  private void ask(Contact c) {
    rpcs.incrementAndGet();
    RequestTimer timer = new RequestTimer(c);
    CompletableFuture<FoundValue> f;
    try {
      f = query.apply(c);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((answer, error) -> {
      timer.cancel();
      if (error == null && answer != null) {
        onAnswer(c, answer);
      } else {
        onFailure(c);
      }
      if (result.isDone()) {
        // Settled after the lookup ended without it (it had stalled): its channel is released as
        // the others' were when the lookup finished, or it would stay open to a contact nobody holds.
        settings.observer().finished(List.of(c));
      }
    });
  }

  /**
   * The stall at a quarter of the RPC timeout and the failure at the timeout of one request, as
   * one timer at a time: the stall's sets the failure's for the rest. Most answers come before the
   * stall, so a request schedules and cancels one timer on the node's scheduler, not two.
   */
  private final class RequestTimer {
    private final Contact to;
    /** Guarded by this. */
    private Scheduler.Cancellable current;
    /** Guarded by this. */
    private boolean cancelled;

    RequestTimer(Contact to) {
      this.to = to;
      Duration stall = settings.rpcTimeout().dividedBy(4);
      Scheduler.Cancellable first = settings.scheduler().schedule(stall, this::stalled);
      synchronized (this) {
        // A stall of zero may have fired on another thread already and set the failure's.
        if (current == null) current = first;
      }
    }

    private void stalled() {
      Duration rest = settings.rpcTimeout().minus(settings.rpcTimeout().dividedBy(4));
      synchronized (this) {
        if (cancelled) return;
        current = settings.scheduler().schedule(rest, () -> onFailure(to));
      }
      onStall(to);
    }

    synchronized void cancel() {
      cancelled = true;
      current.cancel();
    }
  }

  private void onAnswer(Contact from, FoundValue answer) {
    ValueRecord record = answer.record();
    boolean counted;
    synchronized (this) {
      if (result.isDone()) return;
      counted = set
          ? state.answered(from, answer.closest(), !answer.records().isEmpty())
          : state.answered(from, record == null ? answer.closest() : List.of());
      if (counted) {
        int d = depth.getOrDefault(from.id(), 1);
        hops = Math.max(hops, d);
        if (record == null) {
          for (Contact c : answer.closest()) {
            depth.putIfAbsent(c.id(), d + 1);
          }
        }
      }
      if (counted && !set && record == null) answeredWithoutRecord = true;
      if (counted && record != null && record.key().equals(state.target())
          && !record.isExpiredAt(settings.scheduler().now())) {
        recordAnswers++;
        versions.put(from.id(), record.version());
        if (newest == null || record.version().isNewerThan(newest.version())) {
          newest = record;
        }
      }
    }
    if (counted) {
      settings.observer().answered(from);
      step();
    }
  }

  private void onFailure(Contact to) {
    boolean counted;
    synchronized (this) {
      if (result.isDone()) return;
      counted = state.failed(to);
    }
    if (counted) {
      settings.observer().failed(to);
      step();
    }
  }

  private void onStall(Contact to) {
    boolean stalled;
    synchronized (this) {
      if (result.isDone()) return;
      stalled = state.stalled(to);
    }
    if (stalled) step();
  }

  /**
   * How many requests may be out at once. A value lookup whose answers so far all carried the
   * record (or that has heard none yet) sends only as many as the answers it still needs: among
   * the closest contacts it knows, replicas in a healthy mesh, each request brings one, and a
   * request beyond them would be answered after the lookup ended. Once an answer came without
   * the record (the key is absent there, or the lookup is still routing towards its replicas) it
   * asks α at a time as FIND_NODE does; a failure or a stall frees a slot either way.
   */
  private int inFlightLimit() {
    if (set || quorum == Integer.MAX_VALUE || answeredWithoutRecord) return Integer.MAX_VALUE;
    return Math.max(1, quorum - recordAnswers);
  }

  private boolean quorumReached() {
    return set ? state.closestHoldersKnown(quorum) : recordAnswers >= quorum;
  }

  private LookupResult finishedResult() {
    return new LookupResult(new ArrayList<>(state.closestAnswered(settings.k())),
        Optional.ofNullable(newest), recordAnswers, versions, state.inFlight());
  }

  private void complete(LookupResult r) {
    cancelDeadline();
    // Released before the caller hears, so that what the caller does next (a write to the closest)
    // opens its own channels rather than losing them to this clean-up.
    if (result.isDone()) return;
    finished();
    result.complete(r);
  }

  private void fail(DhtException e) {
    cancelDeadline();
    if (result.isDone()) return;
    finished();
    result.completeExceptionally(e);
  }

  private void finished() {
    List<Contact> asked;
    synchronized (this) {
      asked = state.asked();
    }
    settings.observer().finished(asked);
  }

  private void cancelDeadline() {
    Scheduler.Cancellable t;
    synchronized (this) {
      t = deadlineTimer;
      deadlineTimer = null;
    }
    if (t != null) t.cancel();
  }
}
