package io.kadmesh.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The core's only source of time and deferred work, so that tests and the simulator can run it on
 * virtual time. Tasks must be short and must not block.
 */
public interface Scheduler {
  /** The current time. */
  Instant now();

  /** Runs {@code task} once after {@code delay}; the handle cancels it if it has not run yet. */
  Cancellable schedule(Duration delay, Runnable task);

  /** A scheduled task that can still be called off. */
  interface Cancellable {
    void cancel();
  }
}
