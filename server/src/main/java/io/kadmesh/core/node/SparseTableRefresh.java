package io.kadmesh.core.node;

import io.kadmesh.core.Scheduler;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Looks up the node's own ID again, at a backoff, while its routing table holds fewer than k live
 * contacts (go-libp2p-kad-dht refreshes its table the same way while it holds few peers).
 *
 * <p>Why: contacts earn their place, so a peer answers a newcomer's join lookup only with the
 * contacts it has already checked. Nodes that join through one bootstrap node within the same
 * moment are not yet in its table when it answers the others, and would not learn of each other
 * until the next bucket refresh, an hour later. A few more self-lookups, soon after, close that gap;
 * a small network (fewer than k + 1 nodes) keeps paying one lookup per {@link #MAX_INTERVAL}.
 * The pause starts at {@link #FIRST_INTERVAL}, doubles while the table does not grow, and starts
 * over when it does, by a lookup or by a newcomer (the first peers of a node started alone come to
 * it). A node that knows no live contact is left to {@link Membership}.
 */
final class SparseTableRefresh {
  static final Duration FIRST_INTERVAL = Duration.ofSeconds(1);
  static final Duration MAX_INTERVAL = Duration.ofMinutes(1);

  private final Scheduler scheduler;
  private final RoutingTable table;
  private final int k;
  private final Supplier<CompletableFuture<Void>> selfLookup;
  private Duration interval = FIRST_INTERVAL;
  private Scheduler.Cancellable next;
  private boolean running;
  private boolean stopped;

  SparseTableRefresh(Scheduler scheduler, RoutingTable table, int k,
      Supplier<CompletableFuture<Void>> selfLookup) {
    this.scheduler = scheduler;
    this.table = table;
    this.k = k;
    this.selfLookup = selfLookup;
  }

  /** Starts the refreshes; does nothing once stopped (a node closed before its join completed). */
  synchronized void start() {
    if (running || stopped) return;
    running = true;
    next = scheduler.schedule(interval, this::runOnce);
  }

  synchronized void stop() {
    running = false;
    stopped = true;
    if (next != null) next.cancel();
    next = null;
  }

  /** A contact entered the table: the network may have grown, so look again soon. */
  synchronized void contactAdded() {
    if (!running || interval.equals(FIRST_INTERVAL)) return;
    interval = FIRST_INTERVAL;
    if (next != null) next.cancel();
    next = scheduler.schedule(interval, this::runOnce);
  }

  private void runOnce() {
    int before = table.liveSize();
    if (before == 0 || before >= k) {
      scheduleNext(false);
      return;
    }
    selfLookup.get().whenComplete((v, e) -> scheduleNext(table.liveSize() > before));
  }

  private synchronized void scheduleNext(boolean learned) {
    if (!running) return;
    interval = learned ? FIRST_INTERVAL : min(interval.multipliedBy(2), MAX_INTERVAL);
    next = scheduler.schedule(interval, this::runOnce);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
