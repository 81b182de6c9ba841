package io.kadmesh.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What replicas hold for a key: a value or a tombstone, its kind, its version and its absolute
 * expiry, and for a signed record the owner's signature. Immutable; the value array is never
 * handed out for writing.
 *
 * <p>A signed record's version is derived, not chosen: its seq, then SHA-256 of its signature
 * bytes, so that every replica orders two signed records of one key alike (the higher seq wins
 * whatever any clock says) with the same {@link Version} order plain records use.
 */
public final class ValueRecord {
  private final NodeId key;
  private final byte[] value;
  private final Version version;
  private final Instant expiresAt;
  private final boolean tombstone;
  private final RecordKind kind;
  private final RecordSignature signature;

  private ValueRecord(NodeId key, byte[] value, Version version, Instant expiresAt, boolean tombstone,
      RecordKind kind, RecordSignature signature) {
    this.key = Objects.requireNonNull(key, "key");
    this.value = Objects.requireNonNull(value, "value");
    this.version = Objects.requireNonNull(version, "version");
    this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
    this.tombstone = tombstone;
    this.kind = Objects.requireNonNull(kind, "kind");
    this.signature = signature;
    // A withdrawn endpoint entry keeps its entry: the entry names what was withdrawn.
    if (tombstone && value.length > 0 && kind != RecordKind.ENDPOINT) {
      throw new IllegalArgumentException("a tombstone carries no value");
    }
    if (isSignedKind(kind) != (signature != null)) {
      throw new IllegalArgumentException("a signed record or endpoint entry, and only those, has a "
          + "signature");
    }
    if (kind == RecordKind.CONTENT && tombstone) {
      throw new IllegalArgumentException("a content record is never a tombstone");
    }
  }

  /** A live value; the array is copied. */
  public static ValueRecord value(NodeId key, byte[] value, Version version, Instant expiresAt) {
    return new ValueRecord(key, value.clone(), version, expiresAt, false, RecordKind.PLAIN, null);
  }

  /** A live value whose array the caller hands over and never touches again (wire decoding). */
  public static ValueRecord valueOwning(NodeId key, byte[] value, Version version, Instant expiresAt) {
    return new ValueRecord(key, value, version, expiresAt, false, RecordKind.PLAIN, null);
  }

  /** A delete marker: wins over older versions, reads as not found, expires like a value. */
  public static ValueRecord tombstone(NodeId key, Version version, Instant expiresAt) {
    return new ValueRecord(key, new byte[0], version, expiresAt, true, RecordKind.PLAIN, null);
  }

  /**
   * A signed value as its owner signed it; the array is copied. Nothing is verified here: the
   * record gate does that before a node keeps or serves it. Throws IllegalArgumentException for a
   * negative seq (no version exists for it).
   */
  public static ValueRecord signedValue(NodeId key, byte[] value, Instant expiresAt,
      RecordSignature signature) {
    return signed(key, value.clone(), expiresAt, false, signature);
  }

  /** A signed delete: a tombstone its owner signed, ordered by seq like a signed value. */
  public static ValueRecord signedTombstone(NodeId key, Instant expiresAt, RecordSignature signature) {
    return signed(key, new byte[0], expiresAt, true, signature);
  }

  /** A signed value or tombstone whose value array the caller hands over (wire decoding). */
  public static ValueRecord signedOwning(NodeId key, byte[] value, Instant expiresAt,
      boolean tombstone, RecordSignature signature) {
    return signed(key, value, expiresAt, tombstone, signature);
  }

  private static ValueRecord signed(NodeId key, byte[] value, Instant expiresAt, boolean tombstone,
      RecordSignature signature) {
    Objects.requireNonNull(signature, "signature");
    return new ValueRecord(key, value, signedVersion(signature), expiresAt, tombstone,
        RecordKind.SIGNED, signature);
  }

  /**
   * A content-addressed value: its key should be SHA-256 of the value (the record gate checks);
   * versioned like a plain record, so that a re-put extends its expiry. The array is copied.
   */
  public static ValueRecord content(NodeId key, byte[] value, Version version, Instant expiresAt) {
    return contentOwning(key, value.clone(), version, expiresAt);
  }

  /** A content value whose array the caller hands over (wire decoding). */
  public static ValueRecord contentOwning(NodeId key, byte[] value, Version version,
      Instant expiresAt) {
    return new ValueRecord(key, value, version, expiresAt, false, RecordKind.CONTENT, null);
  }

  /**
   * An endpoint entry as its announcer signed it: {@code value} is the encoded entry, kept by a
   * withdrawn entry (a tombstone) too; ordered by seq like a signed record. The array is copied.
   * Nothing is verified here: the record gate does that.
   */
  public static ValueRecord endpoint(NodeId key, byte[] value, Instant expiresAt, boolean tombstone,
      RecordSignature signature) {
    return endpointOwning(key, value.clone(), expiresAt, tombstone, signature);
  }

  /** An endpoint entry whose value array the caller hands over (wire decoding, storage). */
  public static ValueRecord endpointOwning(NodeId key, byte[] value, Instant expiresAt,
      boolean tombstone, RecordSignature signature) {
    Objects.requireNonNull(signature, "signature");
    return new ValueRecord(key, value, signedVersion(signature), expiresAt, tombstone,
        RecordKind.ENDPOINT, signature);
  }

  /** Whether records of {@code kind} carry their owner's signature and order by its seq. */
  public static boolean isSignedKind(RecordKind kind) {
    return kind == RecordKind.SIGNED || kind == RecordKind.ENDPOINT;
  }

  /** The version a signed record orders by: its seq, then SHA-256 of its signature bytes. */
  private static Version signedVersion(RecordSignature signature) {
    return new Version(signature.seq(), NodeId.ofBytes(signature.signature()));
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

  /**
   * The version that orders this record against others of its key and kind (derived for SIGNED
   * and ENDPOINT).
   */
  public Version version() {
    return version;
  }

  public RecordKind kind() {
    return kind;
  }

  /**
   * The owner's signature: non-null exactly when the kind is {@link RecordKind#SIGNED} or
   * {@link RecordKind#ENDPOINT}.
   */
  public RecordSignature signature() {
    return signature;
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

  /**
   * Bytes this record costs a store: key, value, a fixed overhead for version and expiry, and a
   * signed record's proof ({@link RecordSignature#storedBytes()}).
   */
  public long storedBytes() {
    return NodeId.BYTES + value.length + 64L + (signature == null ? 0 : signature.storedBytes());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ValueRecord r
        && key.equals(r.key)
        && version.equals(r.version)
        && expiresAt.equals(r.expiresAt)
        && tombstone == r.tombstone
        && kind == r.kind
        && Objects.equals(signature, r.signature)
        && Arrays.equals(value, r.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, version, expiresAt, tombstone, kind, Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return (tombstone ? "Tombstone" : "Value") + "{key=" + key.shortHex()
        + (kind == RecordKind.PLAIN ? "" : ", " + kind) + ", " + version
        + (signature == null ? "" : ", " + signature)
        + ", bytes=" + value.length + ", expiresAt=" + expiresAt + "}";
  }
}
