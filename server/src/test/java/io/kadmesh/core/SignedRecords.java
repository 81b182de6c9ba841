package io.kadmesh.core;

import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.security.KeyPair;
import java.time.Instant;

/** An owner of an Ed25519 key that signs records for tests, as a client would. */
public final class SignedRecords {
  private final KeyPair keys;
  private final byte[] publicKey;

  public SignedRecords() {
    this.keys = Ed25519Keys.generate();
    this.publicKey = Ed25519Keys.raw(keys.getPublic());
  }

  /** The raw 32-byte public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The DHT key of {@code name}: SHA-256(public key ‖ name). */
  public NodeId key(String name) {
    return NodeId.fromBytes(RecordKeys.signedKey(publicKey, name));
  }

  /** A signed value; {@code expiresAt} must be whole seconds for the signature to verify. */
  public ValueRecord value(String name, long seq, byte[] value, Instant expiresAt) {
    return ValueRecord.signedValue(key(name), value, expiresAt,
        signature(name, seq, value, expiresAt, false));
  }

  /** A signed tombstone. */
  public ValueRecord tombstone(String name, long seq, Instant expiresAt) {
    return ValueRecord.signedTombstone(key(name), expiresAt,
        signature(name, seq, new byte[0], expiresAt, true));
  }

  /** The proof of the given record's fields. */
  public RecordSignature signature(String name, long seq, byte[] value, Instant expiresAt,
      boolean tombstone) {
    byte[] sig = new SignedPayload(name, seq, value, expiresAt.getEpochSecond(), tombstone)
        .sign(keys.getPrivate());
    return new RecordSignature(publicKey, name, seq, sig);
  }
}
