package io.kadmesh.cli;

import io.kadmesh.client.ValueVersion;
import java.time.Instant;

/** The few phrases several commands print the same way. */
final class Formats {

  private Formats() {}

  static String replicas(int count) {
    return count + (count == 1 ? " replica" : " replicas");
  }

  static String version(ValueVersion version) {
    return Long.toUnsignedString(version.sequence()) + " by " + version.shortWriter();
  }

  static String instant(Instant instant) {
    return instant == null ? "unknown" : instant.toString();
  }

  static Json versionJson(ValueVersion version) {
    return Json.object()
        .unsignedField("sequence", version.sequence())
        .field("writer_id", version.writerHex());
  }
}
