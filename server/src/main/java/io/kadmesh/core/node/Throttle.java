package io.kadmesh.core.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one asynchronous job per item with at most {@code parallelism} in flight, so that a
 * maintenance pass over thousands of records (republish, hand-off, leave) is spread out over time
 * instead of firing every lookup and STORE at the same instant.
 */
final class Throttle {
  private Throttle() {}

  /** Completes, with how many jobs succeeded, once every job has finished; never fails. */
  static <T> CompletableFuture<Integer> forEach(List<T> items, int parallelism,
      Function<T, CompletableFuture<?>> job) {
    if (items.isEmpty()) return CompletableFuture.completedFuture(0);
    Run<T> run = new Run<>(List.copyOf(items), job);
    for (int i = 0; i < Math.min(parallelism, items.size()); i++) {
      run.lane();
    }
    return run.done;
  }

  private static final class Run<T> {
    final List<T> items;
    final Function<T, CompletableFuture<?>> job;
    final AtomicInteger next = new AtomicInteger();
    final AtomicInteger finished = new AtomicInteger();
    final AtomicInteger succeeded = new AtomicInteger();
    final CompletableFuture<Integer> done = new CompletableFuture<>();

    Run(List<T> items, Function<T, CompletableFuture<?>> job) {
      this.items = items;
      this.job = job;
    }

    /** Takes items until one is still running; its completion continues the lane. */
    void lane() {
      while (true) {
        int i = next.getAndIncrement();
        if (i >= items.size()) return;
        CompletableFuture<?> f;
        try {
          f = job.apply(items.get(i));
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        if (f.isDone()) {
          // A loop rather than recursion: jobs that finish at once must not deepen the stack.
          settle(f);
          continue;
        }
        CompletableFuture<?> running = f;
        running.whenComplete((v, e) -> {
          settle(running);
          lane();
        });
        return;
      }
    }

    private void settle(CompletableFuture<?> f) {
      if (!f.isCompletedExceptionally()) succeeded.incrementAndGet();
      if (finished.incrementAndGet() == items.size()) done.complete(succeeded.get());
    }
  }
}
