package io.kadmesh.core.mesh;

import io.kadmesh.core.Scheduler;
import io.kadmesh.core.node.KademliaNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a node out of service before a planned shutdown: tells whoever reports its health that it
 * no longer serves, withdraws what it announces ({@link Announcer#withdrawAll}: they stay saved,
 * so a restart announces them again), and hands its records to the closest other nodes ({@link
 * KademliaNode#handOverAll}). The node keeps answering reads and peers until it is shut down.
 * Draining again is safe: the node stays drained and hands off what it holds then; a drain asked
 * for while one is under way answers that one's report. Thread-safe.
 */
public final class NodeDrain {
  private static final Logger log = LoggerFactory.getLogger(NodeDrain.class);

  private final KademliaNode node;
  private final Scheduler scheduler;
  private final Announcer announcer;
  private final Runnable outOfService;
  // Guarded by this.
  private boolean drained;
  private CompletableFuture<DrainReport> running;

  /** {@code outOfService}: run once, on the first drain, before anything else (health goes down). */
  public NodeDrain(KademliaNode node, Scheduler scheduler, Announcer announcer,
      Runnable outOfService) {
    this.node = Objects.requireNonNull(node, "node");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.announcer = Objects.requireNonNull(announcer, "announcer");
    this.outOfService = Objects.requireNonNull(outOfService, "outOfService");
  }

  /** Whether the node was drained. */
  public synchronized boolean isDrained() {
    return drained;
  }

  /**
   * Drains the node; completes once every withdrawal was answered and every record tried, or when
   * {@code timeout} (null: twice the node's operation timeout) passed: the withdrawals may take up
   * to half of it, the hand-off the rest.
   */
  public CompletableFuture<DrainReport> drain(Duration timeout) {
    Duration limit = timeout == null ? node.config().operationTimeout().multipliedBy(2) : timeout;
    Instant deadline = scheduler.now().plus(limit);
    boolean already;
    CompletableFuture<DrainReport> out;
    synchronized (this) {
      if (running != null && !running.isDone()) {
        return running;
      }
      already = drained;
      drained = true;
      out = new CompletableFuture<>();
      running = out;
    }
    if (!already) {
      log.info("draining: reporting NOT_SERVING, withdrawing announcements, handing records off");
      outOfService.run();
    }
    // Withdrawals first: the hand-off then carries them (the withdrawn entries' tombstones) too,
    // instead of racing them with the live entries.
    announcer.withdrawAll(limit.dividedBy(2))
        .thenCompose(w -> node.handOverAll(positive(Duration.between(scheduler.now(),
            deadline))).thenApply(h -> new DrainReport(h.held(), h.handedOff(), w, already,
            h.timedOut())))
        .whenComplete((report, e) -> {
          // Neither part fails by its contract; a bug would surface to the caller, not hang it.
          if (e != null) out.completeExceptionally(e);
          else out.complete(report);
        });
    return out;
  }

  /** At least a millisecond: a hand-off with no time left still reports what the node holds. */
  private static Duration positive(Duration d) {
    return d.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : d;
  }
}
