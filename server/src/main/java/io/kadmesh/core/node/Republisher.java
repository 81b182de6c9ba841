package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.progress.PlainProgress;
import io.kadmesh.core.progress.Progress;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps k replicas of every record alive through churn (paper §2.5): every
 * {@code republishInterval} the node looks up the k closest nodes to each key it holds and stores
 * the record, unchanged (same version, same expiry), on them; replicas that hold a newer version
 * or a tombstone refuse it, so republishing never undoes a write or a delete. Expired records are
 * not republished. Also hands every record over when the node leaves.
 *
 * <p>The paper's optimisation: a key that arrived by a peer's STORE within the last interval is
 * skipped, since that peer has just republished it to the other replicas; so in steady state one
 * replica per key republishes per interval, not k. What arrived when is kept in memory only, for
 * at most {@link #MAX_REMEMBERED} keys: after a restart, or for keys beyond the bound, the node
 * republishes once more than it needs to, which costs traffic, never data.
 *
 * <p>A record held here passes the record gate again before it is sent ({@link Limits#admits}):
 * one kept by an older build, or read back from a corrupted store, must not spread.
 *
 * <p>Each node's rounds start at a random phase, and within a round at most {@link #PARALLELISM}
 * records are in flight, so that neither the network nor one node fires thousands of lookups at
 * once. Rounds and hand-overs walk the store a page at a time, off the scheduler's thread
 * ({@link StoreWalk}).
 */
final class Republisher {
  private static final Logger log = LoggerFactory.getLogger(Republisher.class);

  /** Records republished at once: each is one FIND_NODE lookup (α requests) then k STOREs. */
  static final int PARALLELISM = 16;

  /**
   * Keys remembered as stored by a peer. A key not remembered is only republished once more, so
   * a bound costs a little traffic; without one, a peer's STOREs for keys this node then refuses
   * or drops would grow the map without end.
   */
  static final int MAX_REMEMBERED = 1 << 16;

  /** How often a long round or hand-over logs how far it has come (see {@link PlainProgress}). */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(10);

  private final NodeConfig config;
  private final RecordStore store;
  private final Scheduler scheduler;
  private final Lookups lookups;
  private final ReplicaWriter writer;
  private final NodeMetrics metrics;
  private final PeriodicTask task;
  private final Limits limits;
  private final Map<StoredKey, Instant> storedByPeer = new ConcurrentHashMap<>();
  private final AtomicBoolean roundRunning = new AtomicBoolean();
  /** Set by stop: a round under way ends at its next page instead of walking a closing store. */
  private volatile boolean stopped;

  Republisher(NodeConfig config, RecordStore store, Scheduler scheduler, Random random,
      Lookups lookups, ReplicaWriter writer, Limits limits, NodeMetrics metrics) {
    this.metrics = metrics;
    this.config = config;
    this.limits = limits;
    this.store = store;
    this.scheduler = scheduler;
    this.lookups = lookups;
    this.writer = writer;
    Duration interval = config.republishInterval();
    // A random phase in (0, interval]: nodes started together must not republish together, or
    // none of them would yet have received the others' STOREs, and all k would republish.
    Duration phase = Duration.ofMillis(1 + (long) (random.nextDouble() * (interval.toMillis() - 1)));
    this.task = new PeriodicTask(scheduler, phase, interval, "republish", this::round);
  }

  void start() {
    stopped = false;
    task.start();
  }

  void stop() {
    stopped = true;
    task.stop();
  }

  /** A peer stored the record at {@code key} here: it republished it to the others (paper §2.5). */
  void storedByPeer(StoredKey key) {
    if (storedByPeer.size() < MAX_REMEMBERED || storedByPeer.containsKey(key)) {
      storedByPeer.put(key, scheduler.now());
    }
  }

  /** Keys remembered as stored by a peer within the last interval (for tests). */
  int rememberedKeys() {
    return storedByPeer.size();
  }

  /** One round: every record held except those a peer stored here within the last interval. */
  CompletableFuture<Integer> round() {
    if (!roundRunning.compareAndSet(false, true)) {
      log.warn("the previous republish round is still running; skipping this one");
      return CompletableFuture.completedFuture(0);
    }
    Instant now = scheduler.now();
    Instant recent = now.minus(config.republishInterval());
    storedByPeer.values().removeIf(at -> !at.isAfter(recent));
    Progress progress = progress("republish");
    return StoreWalk.run(store, scheduler, PARALLELISM,
            r -> !storedByPeer.containsKey(StoredKey.of(r)) && limits.admits(r, scheduler.now()),
            r -> publish(r, true, deadline()).thenApply(w -> {
              if (w != null && w.replicas() > 0) metrics.republished(1);
              progress.step();
              return w;
            }), () -> !stopped)
        .whenComplete((n, e) -> {
          progress.close();
          roundRunning.set(false);
          if (e != null) log.warn("republish round failed", e);
        });
  }

  /**
   * Stores every record held on the k closest other nodes, for a node about to leave; completes,
   * with how many records at least one other node kept, once all were tried or {@code deadline}
   * passed (each gives up at {@code deadline}).
   */
  CompletableFuture<Integer> handOver(Instant deadline) {
    Progress progress = progress("hand-off");
    return StoreWalk.run(store, scheduler, PARALLELISM, r -> limits.admits(r, scheduler.now()),
        r -> publish(r, false, deadline).thenApply(w -> {
          if (w != null && w.replicas() > 0) metrics.handedOff(1);
          progress.step();
          return w;
        }), () -> scheduler.now().isBefore(deadline))
        .whenComplete((n, e) -> progress.close());
  }

  /**
   * A round's progress as log lines at INFO, at most one per {@link #PROGRESS_INTERVAL}: a store of
   * millions of records takes minutes to walk, and a round of a few records logs nothing.
   */
  private Progress progress(String task) {
    return new PlainProgress(task, store.recordCount(), "records", line -> log.info(line),
        scheduler::now, PROGRESS_INTERVAL);
  }

  /**
   * A FIND_NODE lookup for the key, then STOREs to the k closest found (this node counted among
   * them when {@code withSelf}), exactly as a Put does but with the record as it is.
   */
  private CompletableFuture<WriteResult> publish(ValueRecord record, boolean withSelf,
      Instant deadline) {
    if (record.isExpiredAt(scheduler.now())) return CompletableFuture.completedFuture(null);
    return lookups.findNode(record.key(), deadline).thenCompose(found -> {
      List<Contact> targets = withSelf
          ? writer.closestWithSelf(record.key(), found.closest())
          : found.closest();
      return writer.write(record, targets, deadline);
    });
  }

  private Instant deadline() {
    return scheduler.now().plus(config.operationTimeout());
  }
}
