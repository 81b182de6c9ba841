package io.kadmesh.core.node;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.time.Instant;

/**
 * Issues this node's write versions, a hybrid logical clock: the sequence is the time in
 * microseconds since the epoch, bumped past the last one issued and past every version the node
 * accepted ({@link #observe}), so that one node's versions strictly increase even when its clock
 * stands still or steps back, and a write made after a read of a key wins over what was read even
 * when its writer's clock ran ahead (within the skew the record gate allows, see {@link Limits}).
 */
public final class VersionClock {
  private final NodeId writer;
  private final Scheduler scheduler;
  private long last = -1;

  public VersionClock(NodeId writer, Scheduler scheduler) {
    this.writer = writer;
    this.scheduler = scheduler;
  }

  /**
   * A version newer than every one this clock issued or observed before. Throws
   * IllegalStateException once it observed sequence 2^63-1, past which no version exists.
   */
  public synchronized Version next() {
    if (last == Long.MAX_VALUE) {
      // last + 1 would wrap to a negative and the wall clock would win: a version older than
      // one already accepted, so every later write of this node would lose.
      throw new IllegalStateException("the version clock observed sequence " + last
          + ", the largest there is; no newer version can be issued");
    }
    last = Math.max(micros(scheduler.now()), last + 1);
    return new Version(last, writer);
  }

  /** A version this node accepted (kept, or found by a lookup): later versions go past it. */
  public synchronized void observe(Version version) {
    last = Math.max(last, version.sequence());
  }

  /**
   * A record this node accepted: {@link #observe(Version) observes} its version, unless it is a
   * signed record's, whose sequence is its owner's seq, not a clock: it must not move this one.
   */
  public void observe(ValueRecord record) {
    if (!ValueRecord.isSignedKind(record.kind())) {
      observe(record.version());
    }
  }

  /** An instant as a version sequence: microseconds since the epoch, never negative. */
  static long micros(Instant t) {
    return Math.max(0, Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L),
        t.getNano() / 1_000));
  }

  /** The instant a version sequence stands for. */
  static Instant instant(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
  }
}
