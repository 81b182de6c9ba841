package io.kadmesh.core;

import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.records.SignedPayload;
import java.security.KeyPair;
import java.time.Instant;

/**
 * Makes the record an announcer publishes for an endpoint entry: keyed by its service, its value
 * the encoded entry (kept when withdrawn), signed over the {@link SignedPayload.Domain#ENDPOINT}
 * payload that names the endpoint address, so that every replica can check it.
 */
public final class EndpointRecords {
  private EndpointRecords() {}

  /**
   * {@code entry} signed with {@code key} (an Ed25519 key pair) at {@code seq}, live until
   * {@code expiresAt} (truncated to whole seconds: the signature covers seconds), or withdrawn.
   * Throws IllegalArgumentException for a key that is not Ed25519 or a seq below 1.
   */
  public static ValueRecord sign(EndpointEntry entry, long seq, Instant expiresAt,
      boolean withdrawn, KeyPair key) {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be 1 to 2^63-1, got " + seq);
    }
    byte[] value = entry.encode();
    long seconds = expiresAt.getEpochSecond();
    byte[] signature = new SignedPayload(SignedPayload.Domain.ENDPOINT, entry.address(), seq, value,
        seconds, withdrawn).sign(key.getPrivate());
    RecordSignature proof = new RecordSignature(Ed25519Keys.raw(key.getPublic()), entry.address(),
        seq, signature);
    return ValueRecord.endpointOwning(NodeId.fromBytes(entry.serviceKey()), value,
        Instant.ofEpochSecond(seconds), withdrawn, proof);
  }

  /** The entry an endpoint record carries; IllegalArgumentException when its value is not one. */
  public static EndpointEntry entry(ValueRecord record) {
    if (record.kind() != RecordKind.ENDPOINT) {
      throw new IllegalArgumentException("not an endpoint record: " + record);
    }
    return EndpointEntry.decode(record.valueUnsafe());
  }
}
