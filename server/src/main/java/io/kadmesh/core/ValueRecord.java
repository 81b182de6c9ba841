package io.kadmesh.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What replicas hold for a key: a value or a tombstone, its version and its absolute expiry.
 * Immutable; the value array is never handed out for writing.
 */
public final class ValueRecord {
  private final NodeId key;
  private final byte[] value;
  private final Version version;
  private final Instant expiresAt;
  private final boolean tombstone;

  private ValueRecord(NodeId key, byte[] value, Version version, Instant expiresAt, boolean tombstone) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
    this.version = Objects.requireNonNull(version, "version");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.tombstone = tombstone;
    if (tombstone && value.length > 0) {
      throw new IllegalArgumentException("a tombstone carries no value");
    }
  }

  /** A live value; the array is copied. */
  public static ValueRecord value(NodeId key, byte[] value, Version version, Instant expiresAt) {
    return new ValueRecord(key, value.clone(), version, expiresAt, false);
  }

  /** A live value whose array the caller hands over and never touches again (wire decoding). */
  public static ValueRecord valueOwning(NodeId key, byte[] value, Version version, Instant expiresAt) {
    return new ValueRecord(key, value, version, expiresAt, false);
  }

  /** A delete marker: wins over older versions, reads as not found, expires like a value. */
  public static ValueRecord tombstone(NodeId key, Version version, Instant expiresAt) {
    return new ValueRecord(key, new byte[0], version, expiresAt, true);
  }

  public NodeId key() {
    return key;
  }

  /** A copy of the value's bytes. */
  public byte[] value() {
    return value.clone();
  }

  /** The value's bytes without a copy: callers must not modify them. */
  public byte[] valueUnsafe() {
    return value;
  }

  public int valueSize() {
    return value.length;
  }

  public Version version() {
    return version;
  }

  public Instant expiresAt() {
    return expiresAt;
  }

  public boolean isTombstone() {
    return tombstone;
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** Bytes this record costs a store: key, value and a fixed overhead for version and expiry. */
  public long storedBytes() {
    return NodeId.BYTES + value.length + 64L;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueRecord r
        && key.equals(r.key)
        && version.equals(r.version)
        && expiresAt.equals(r.expiresAt)
        && tombstone == r.tombstone
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, version, expiresAt, tombstone, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return (tombstone ? "Tombstone" : "Value") + "{key=" + key.shortHex() + ", " + version
        + ", bytes=" + value.length + ", expiresAt=" + expiresAt + "}";
  }
}
