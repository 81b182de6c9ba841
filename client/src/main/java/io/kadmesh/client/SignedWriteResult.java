package io.kadmesh.client;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The outcome of a signed put or delete.
 *
 * @param replicas how many nodes acknowledged the record
 * @param keyHex the record's 32-byte DHT key, SHA-256(public key ‖ name), as lowercase hex
 * @param seq the sequence number the record was signed with
 * @param expiresAt when replicas drop the record (the signed expiry, whole seconds)
 * @param tombstone whether the record was a signed delete
 */
public record SignedWriteResult(
    int replicas, String keyHex, long seq, Instant expiresAt, boolean tombstone) {

  public SignedWriteResult {
    Objects.requireNonNull(keyHex, "keyHex");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** The record's DHT key as bytes. */
  public byte[] key() {
    return HexFormat.of().parseHex(keyHex);
  }
}
