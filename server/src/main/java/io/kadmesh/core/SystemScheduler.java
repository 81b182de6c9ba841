package io.kadmesh.core;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Scheduler}: wall-clock time and a {@link ScheduledExecutorService}. When
 * it creates the executor it owns it and shuts it down on {@link #close()}; an executor handed in
 * stays its owner's. Blocking work runs on a pool of its own of at most {@link
 * #MAINTENANCE_THREADS} daemon threads, which this scheduler always owns.
 */
public final class SystemScheduler implements Scheduler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SystemScheduler.class);

  /**
   * Threads for blocking work. Two: a long store scan (republish) does not hold up a purge or a
   * hand-off, and the disk sees no more concurrent scans than that. Its queue is unbounded, but
   * what the core queues is: each maintenance job queues its next page only once the previous
   * page is done, and at most one pass of each job runs at a time.
   */
  static final int MAINTENANCE_THREADS = 2;

  private final ScheduledExecutorService executor;
  private final ExecutorService maintenance = newMaintenancePool();
  private final InstantSource clock;
  private final boolean ownsExecutor;

  /** One daemon thread, started lazily by the first task (no thread starts here). */
  public SystemScheduler() {
    this(newExecutor(), InstantSource.system(), true);
  }

  /** Runs on {@code executor} (not shut down by {@link #close()}) and reads {@code clock}. */
  public SystemScheduler(ScheduledExecutorService executor, InstantSource clock) {
    this(executor, clock, false);
  }

  private SystemScheduler(ScheduledExecutorService executor, InstantSource clock, boolean owns) {
    this.executor = executor;
    this.clock = clock;
    this.ownsExecutor = owns;
  }

  @Override
  public Instant now() {
    return clock.instant();
  }

  @Override
  public Cancellable schedule(Duration delay, Runnable task) {
    ScheduledFuture<?> f = executor.schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        // An escaped exception would vanish into the future; say so instead.
        log.warn("scheduled task failed", e);
      }
    }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  @Override
  public void executeBlocking(Runnable task) {
    try {
      maintenance.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("maintenance task failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // Closed: the node is shutting down, and its maintenance with it.
      log.debug("maintenance task dropped: the scheduler is closed");
    }
  }

  @Override
  public void close() {
    maintenance.shutdownNow();
    if (ownsExecutor) {
      executor.shutdownNow();
    }
  }

  private static ExecutorService newMaintenancePool() {
    AtomicInteger n = new AtomicInteger();
    // Threads start with the first task and end after a minute idle: none start here.
    ThreadPoolExecutor pool = new ThreadPoolExecutor(MAINTENANCE_THREADS, MAINTENANCE_THREADS,
        1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "kadmesh-maintenance-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static ScheduledExecutorService newExecutor() {
    ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "kadmesh-scheduler");
      t.setDaemon(true);
      return t;
    });
    // Lookups cancel most of their RPC timers: don't keep them queued until they would fire.
    ex.setRemoveOnCancelPolicy(true);
    return ex;
  }
}
