package io.kadmesh.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A content-addressed value read from the DHT, its hash checked against its key by the client.
 *
 * @param keyHex the content key, SHA-256 of the value, as lowercase hex
 * @param value the value's bytes (copied in and out)
 * @param expiresAt when replicas drop the value; null if the node did not say
 */
public record ContentEntry(String keyHex, byte[] value, Instant expiresAt) {

  public ContentEntry {
    Objects.requireNonNull(keyHex, "keyHex");
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
    return other instanceof ContentEntry that
        && keyHex.equals(that.keyHex)
        && Arrays.equals(value, that.value)
        && Objects.equals(expiresAt, that.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(keyHex, Arrays.hashCode(value), expiresAt);
  }

  @Override
  public String toString() {
    return "ContentEntry[" + keyHex + ", " + value.length + " bytes, expiresAt=" + expiresAt + "]";
  }
}
