package io.kadmesh.server.metrics;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * The last calls this node answered with a failure, newest first, for a person looking at the
 * dashboard: a bounded ring, so that a flood of failures costs a fixed amount of memory. The
 * counters of {@code /metrics} say how many failed; this says which and why.
 */
public final class RecentFailures {
  /** How many failures the dashboard keeps by default. */
  public static final int DEFAULT_CAPACITY = 50;
  /** Longer messages are cut: a message is for a person to read, not a payload to keep. */
  static final int MAX_MESSAGE_CHARS = 300;

  /** One failed call: when it ended, on which port, the method, its status code and message. */
  public record Failure(Instant at, String port, String method, String code, String message) {}

  private final int capacity;
  private final InstantSource clock;
  private final Deque<Failure> failures = new ArrayDeque<>();

  public RecentFailures(int capacity, InstantSource clock) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A call on {@code port} ended with {@code code}; {@code message} may be null. */
  public void add(String port, String method, String code, String message) {
    String text = message == null ? "" : message;
    if (text.length() > MAX_MESSAGE_CHARS) {
      text = text.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }
    Failure failure = new Failure(clock.instant(), port, method, code, text);
    synchronized (failures) {
      failures.addFirst(failure);
      if (failures.size() > capacity) {
        failures.removeLast();
      }
    }
  }

  /** The failures kept, newest first. */
  public List<Failure> latest() {
    synchronized (failures) {
      return new ArrayList<>(failures);
    }
  }
}
