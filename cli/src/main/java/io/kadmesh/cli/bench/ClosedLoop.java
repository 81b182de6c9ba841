package io.kadmesh.cli.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The loaded phase of a bench: operations 0 to n-1 with a fixed number in flight, each one's
 * completion starting the next (a closed loop), whatever hosts the nodes.
 */
final class ClosedLoop {
  private ClosedLoop() {}

  /**
   * Runs every operation, at most {@code concurrency} at once; records each one's latency and
   * outcome in {@code stats}, then calls {@code afterEach}. Returns the phase's wall time in
   * nanoseconds; fails when it takes longer than {@code limit}.
   */
  static long run(int n, int concurrency, Duration limit,
      IntFunction<CompletableFuture<Boolean>> operation, OperationStats stats, Runnable afterEach)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    long t0 = System.nanoTime();
    Runnable launch = new Runnable() {
      @Override
      public void run() {
        int i = next.getAndIncrement();
        if (i >= n) return;
        long start = System.nanoTime();
        operation.apply(i).whenComplete((ok, e) -> {
          stats.recordLoaded(System.nanoTime() - start, e == null && Boolean.TRUE.equals(ok));
          afterEach.run();
          done.countDown();
          run();
        });
      }
    };
    for (int c = 0; c < Math.min(concurrency, n); c++) launch.run();
    if (!done.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("the loaded phase did not finish");
    }
    return System.nanoTime() - t0;
  }
}
