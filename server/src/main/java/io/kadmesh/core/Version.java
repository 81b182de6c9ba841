package io.kadmesh.core;

import java.util.Comparator;
import java.util.Objects;

/**
 * Orders the writes to one key: higher sequence wins, equal sequences are broken by the writer's
 * node ID. Every replica applies the same order, so the last writer wins everywhere.
 */
public record Version(long sequence, NodeId writer) implements Comparable<Version> {
  private static final Comparator<Version> ORDER =
      Comparator.<Version>comparingLong(v -> v.sequence)
          .thenComparing(Version::writer);

  public Version {
    Objects.requireNonNull(writer, "writer");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must not be negative: " + sequence);
    }
  }

  public boolean isNewerThan(Version other) {
    return compareTo(other) > 0;
  }

  @Override
  public int compareTo(Version o) {
    return ORDER.compare(this, o);
  }
}
