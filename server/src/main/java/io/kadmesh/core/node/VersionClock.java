package io.kadmesh.core.node;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.Version;
import java.time.Instant;

/**
 * Issues this node's write versions: the sequence is the time in microseconds since the epoch,
 * bumped past the last one issued, so that one node's versions strictly increase even when its
 * clock stands still or steps back.
 */
public final class VersionClock {
  private final NodeId writer;
  private final Scheduler scheduler;
  private long last = -1;

  public VersionClock(NodeId writer, Scheduler scheduler) {
    this.writer = writer;
    this.scheduler = scheduler;
  }

  /** A version newer than every one this clock issued before. */
  public synchronized Version next() {
    Instant now = scheduler.now();
    long micros = Math.max(0, now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000);
    last = Math.max(micros, last + 1);
    return new Version(last, writer);
  }
}
