package io.kadmesh.cli;

import io.kadmesh.client.SignedWriteResult;
import io.kadmesh.client.ValueVersion;
import io.kadmesh.records.Ed25519Keys;
import java.security.KeyPair;
import java.time.Instant;
import java.util.HexFormat;

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

  /** An instant for JSON: ISO-8601, or null when the node did not say. */
  static String instantOrNull(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  static String publicKeyHex(KeyPair keys) {
    return HexFormat.of().formatHex(Ed25519Keys.raw(keys.getPublic()));
  }

  /** A signed put or delete as one JSON object. */
  static String signedWriteJson(SignedWriteResult result, KeyPair keys) {
    return Json.object()
        .field("replicas", result.replicas())
        .field("seq", result.seq())
        .field("tombstone", result.tombstone())
        .field("expires_at", instantOrNull(result.expiresAt()))
        .field("key", result.keyHex())
        .field("public_key", publicKeyHex(keys))
        .toString();
  }

  static Json versionJson(ValueVersion version) {
    return Json.object()
        .unsignedField("sequence", version.sequence())
        .field("writer_id", version.writerHex());
  }
}
