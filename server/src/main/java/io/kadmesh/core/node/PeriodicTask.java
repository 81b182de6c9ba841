package io.kadmesh.core.node;

import io.kadmesh.core.Scheduler;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A maintenance job that re-schedules itself every period until stopped; its first run comes after
 * an initial delay (a random phase, for jobs that must not fire on every node at once).
 */
final class PeriodicTask {
  private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

  private final Scheduler scheduler;
  private final Duration initialDelay;
  private final Duration period;
  private final Runnable job;
  private final String name;
  private Scheduler.Cancellable next;
  private boolean running;

  PeriodicTask(Scheduler scheduler, Duration period, String name, Runnable job) {
    this(scheduler, period, period, name, job);
  }

  PeriodicTask(Scheduler scheduler, Duration initialDelay, Duration period, String name,
      Runnable job) {
    this.scheduler = scheduler;
    this.initialDelay = initialDelay;
    this.period = period;
    this.name = name;
    this.job = job;
  }

  synchronized void start() {
    if (running) return;
    running = true;
    next = scheduler.schedule(initialDelay, this::runOnce);
  }

  synchronized void stop() {
    running = false;
    if (next != null) next.cancel();
    next = null;
  }

  private void runOnce() {
    synchronized (this) {
      if (!running) return;
    }
    try {
      job.run();
    } catch (RuntimeException e) {
      // One failed round must not end the job for good.
      log.warn("maintenance job {} failed", name, e);
    }
    synchronized (this) {
      if (running) next = scheduler.schedule(period, this::runOnce);
    }
  }
}
