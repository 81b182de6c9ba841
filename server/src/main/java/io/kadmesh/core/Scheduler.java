package io.kadmesh.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The core's only source of time and deferred work, so that tests and the simulator can run it on
 * virtual time. Scheduled tasks must be short and must not block: they share a thread with every
 * RPC timeout. Work that may block (store scans, purges, fsyncs) goes to {@link #executeBlocking}.
 */
public interface Scheduler {
  /** The current time. */
  Instant now();

  /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run yet. */
  Cancellable schedule(Duration delay, Runnable task);

  /**
   * Runs {@code task} soon, off the thread that runs scheduled tasks and off any network event
   * loop, on a small bounded pool meant for work that may block on the disk or take long.
   */
  void executeBlocking(Runnable task);

  /** A scheduled task that can still be called off. */
  interface Cancellable {
    void cancel();
  }
}
