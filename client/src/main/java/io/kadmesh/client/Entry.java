package io.kadmesh.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A value read from the DHT with its metadata.
 *
 * @param value the value's bytes (copied in and out, so an entry never changes)
 * @param version the version of the value
 * @param expiresAt when replicas drop the value; null if the node did not say
 */
public record Entry(byte[] value, ValueVersion version, Instant expiresAt) {

  public Entry {
    value = Objects.requireNonNull(value, "value").clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  // Records compare arrays by identity; an entry is a value, so compare the bytes.
  @Override
  public boolean equals(Object other) {
    return other instanceof Entry that
        && Arrays.equals(value, that.value)
        && Objects.equals(version, that.version)
        && Objects.equals(expiresAt, that.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(value), version, expiresAt);
  }

  @Override
  public String toString() {
    return "Entry[" + value.length + " bytes, version=" + version + ", expiresAt=" + expiresAt + "]";
  }
}
