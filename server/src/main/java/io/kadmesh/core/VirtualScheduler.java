package io.kadmesh.core;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * A {@link Scheduler} on virtual time for tests and the simulator: nothing runs until the caller
 * moves time forward, and then due tasks run on the caller's thread in time order (ties in the
 * order they were scheduled), so a run is deterministic. Blocking work ({@link #executeBlocking})
 * is queued the same way, as a task due now, and {@link #inBlockingWork} tells a test whether the
 * code running was handed to it.
 */
public final class VirtualScheduler implements Scheduler {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private Instant now;
  private long nextSeq;
  private final ThreadLocal<Boolean> blocking = ThreadLocal.withInitial(() -> false);

  public VirtualScheduler(Instant start) {
    this.now = start;
  }

  /** Starts at 2030-01-01T00:00:00Z: a fixed, recognisable origin for test logs. */
  public VirtualScheduler() {
    this(Instant.parse("2030-01-01T00:00:00Z"));
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Cancellable schedule(Duration delay, Runnable task) {
    Duration d = delay.isNegative() ? Duration.ZERO : delay;
    Task t = new Task(now.plus(d), nextSeq++, task);
    queue.add(t);
    return () -> {
      synchronized (VirtualScheduler.this) {
        // Lazily: a cancelled task stays queued and is skipped when due (O(1) cancel).
        t.cancelled = true;
      }
    };
  }

  @Override
  public void executeBlocking(Runnable task) {
    schedule(Duration.ZERO, () -> {
      blocking.set(true);
      try {
        task.run();
      } finally {
        blocking.set(false);
      }
    });
  }

  /** Whether the calling code runs as blocking work, not as a scheduled task (for tests). */
  public boolean inBlockingWork() {
    return blocking.get();
  }

  /** Runs every task due now, including those they schedule for now; time does not move. */
  public void runUntilIdle() {
    advance(Duration.ZERO);
  }

  /** Moves time forward by {@code d}, running each task due on the way at its own time. */
  public void advance(Duration d) {
    Instant end;
    synchronized (this) {
      end = now.plus(d);
    }
    boolean ran = true;
    while (ran) {
      ran = runNextDueBy(end);
    }
    synchronized (this) {
      if (now.isBefore(end)) {
        now = end;
      }
    }
  }

  /**
   * Runs tasks in time order until {@code condition} holds or {@code limit} of virtual time has
   * passed; answers whether the condition holds. Periodic jobs never let the queue drain, hence
   * the limit.
   */
  public boolean runUntil(BooleanSupplier condition, Duration limit) {
    Instant end;
    synchronized (this) {
      end = now.plus(limit);
    }
    while (!condition.getAsBoolean()) {
      if (!runNextDueBy(end)) {
        synchronized (this) {
          now = end;
        }
        return condition.getAsBoolean();
      }
    }
    return true;
  }

  /** Tasks scheduled and not yet run or cancelled. */
  public synchronized int pendingTasks() {
    return (int) queue.stream().filter(t -> !t.cancelled).count();
  }

  private boolean runNextDueBy(Instant end) {
    Task t;
    synchronized (this) {
      t = queue.peek();
      if (t == null || t.at.isAfter(end)) {
        return false;
      }
      queue.poll();
      if (t.cancelled) {
        return true;
      }
      if (t.at.isAfter(now)) {
        now = t.at;
      }
    }
    // Outside the lock: the task may schedule more work.
    t.task.run();
    return true;
  }

  private static final class Task implements Comparable<Task> {
    final Instant at;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Task(Instant at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Task o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
