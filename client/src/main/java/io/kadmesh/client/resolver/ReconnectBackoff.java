package io.kadmesh.client.resolver;

import java.time.Duration;
import java.util.Random;

/**
 * How long the resolver waits before it opens the watch again: exponential with jitter, as
 * gRPC's own connection backoff (initial 1 s, ×1.6, at most 30 s, ±20 %), reset once a stream
 * delivers a whole state again.
 */
final class ReconnectBackoff {

  static final Duration INITIAL = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofSeconds(30);
  private static final double MULTIPLIER = 1.6;
  private static final double JITTER = 0.2;

  private final long initialNanos;
  private final long maxNanos;
  private final Random random;
  private long nextNanos;

  ReconnectBackoff(Duration initial, Duration max, Random random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, was " + initial + ", " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
    this.random = random;
    this.nextNanos = initialNanos;
  }

  static ReconnectBackoff standard() {
    return new ReconnectBackoff(INITIAL, MAX, new Random());
  }

  /** The wait before the next attempt; each call lengthens the one after it. */
  long nextDelayNanos() {
    long base = nextNanos;
    nextNanos = (long) Math.min(base * MULTIPLIER, maxNanos);
    double spread = 1 + JITTER * (2 * random.nextDouble() - 1);
    return Math.max(1, (long) (base * spread));
  }

  /** Back to the initial wait, after a stream that worked. */
  void reset() {
    nextNanos = initialNanos;
  }
}
