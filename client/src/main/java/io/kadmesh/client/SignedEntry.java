package io.kadmesh.client;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * The newest signed record of a public key and name, as read and verified by the client.
 *
 * <p>Three cases: a live value ({@code found}); a signed delete ({@code tombstone}, not found, with
 * the seq to write past); no record at all (not found, seq 0). {@link #seq} is in each case the
 * expected seq of a compare-and-swap that follows this read.
 *
 * @param publicKeyHex the owner's raw 32-byte Ed25519 public key, as lowercase hex
 * @param name the record's name
 * @param found whether the record is a live value
 * @param seq the record's sequence number; 0 when there is no record
 * @param value the value's bytes; empty unless found (copied in and out)
 * @param expiresAt when replicas drop the record; null when there is none
 * @param tombstone whether the newest record is a signed delete
 */
public record SignedEntry(
    String publicKeyHex,
    String name,
    boolean found,
    long seq,
    byte[] value,
    Instant expiresAt,
    boolean tombstone) {

  public SignedEntry {
    Objects.requireNonNull(publicKeyHex, "publicKeyHex");
    Objects.requireNonNull(name, "name");
    value = Objects.requireNonNull(value, "value").clone();
  }

  /** No record of this public key and name. */
  static SignedEntry none(String publicKeyHex, String name) {
    return new SignedEntry(publicKeyHex, name, false, 0, new byte[0], null, false);
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
    return other instanceof SignedEntry that
        && publicKeyHex.equals(that.publicKeyHex)
        && name.equals(that.name)
        && found == that.found
        && seq == that.seq
        && Arrays.equals(value, that.value)
        && Objects.equals(expiresAt, that.expiresAt)
        && tombstone == that.tombstone;
  }

  @Override
  public int hashCode() {
    return Objects.hash(publicKeyHex, name, found, seq, Arrays.hashCode(value), expiresAt, tombstone);
  }

  @Override
  public String toString() {
    return "SignedEntry[" + name + ", seq=" + seq + (tombstone ? ", tombstone" : "")
        + (found ? ", " + value.length + " bytes" : ", not found") + ", expiresAt=" + expiresAt + "]";
  }
}
