package io.kadmesh.core.progress;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Progress as plain lines ({@code bench: 4000/10000 ops, 40%}) for logs and for output that no
 * person watches live: at most one line per interval, the first once an interval has passed, and a
 * last line at the end only if an earlier one was written, so that work shorter than the interval
 * writes nothing. The clock is injected, so that a test moves time by hand.
 */
public final class PlainProgress implements Progress {
  private final String task;
  private final long total;
  private final String unit;
  private final Consumer<String> out;
  private final InstantSource clock;
  private final Duration interval;
  private final Instant started;
  private final AtomicLong done = new AtomicLong();
  /** Guarded by this. */
  private Instant nextLine;
  /** Guarded by this. */
  private boolean wroteLine;
  /** Guarded by this. */
  private boolean closed;

  public PlainProgress(String task, long total, String unit, Consumer<String> out,
      InstantSource clock, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    this.task = Objects.requireNonNull(task, "task");
    this.total = total;
    this.unit = Objects.requireNonNull(unit, "unit");
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.interval = interval;
    this.started = clock.instant();
    this.nextLine = started.plus(interval);
  }

  /** A reporter whose every piece of work writes its lines to {@code out}. */
  public static ProgressReporter reporter(Consumer<String> out, InstantSource clock,
      Duration interval) {
    return (task, total, unit) -> new PlainProgress(task, total, unit, out, clock, interval);
  }

  @Override
  public void step(long units) {
    long now = done.addAndGet(units);
    Instant at = clock.instant();
    String line;
    synchronized (this) {
      if (closed || at.isBefore(nextLine)) {
        return;
      }
      nextLine = at.plus(interval);
      wroteLine = true;
      line = line(now, false);
    }
    out.accept(line);
  }

  @Override
  public void close() {
    String line;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (!wroteLine) {
        return;
      }
      line = line(done.get(), true);
    }
    out.accept(line);
  }

  /** Units done so far. */
  public long done() {
    return done.get();
  }

  private String line(long now, boolean finished) {
    StringBuilder b = new StringBuilder(task).append(": ").append(now);
    if (total >= 0) {
      b.append('/').append(total);
    }
    b.append(' ').append(unit);
    if (total > 0) {
      b.append(", ").append(Math.min(100, now * 100 / total)).append('%');
    }
    if (finished) {
      double seconds = Duration.between(started, clock.instant()).toMillis() / 1000.0;
      b.append(String.format(Locale.ROOT, ", done in %.1f s", seconds));
    }
    return b.toString();
  }
}
