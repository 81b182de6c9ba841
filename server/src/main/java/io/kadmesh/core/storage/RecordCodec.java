package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

/**
 * The bytes a persistent store keeps for a record and for its entry in the expiry index. One
 * explicit format, versioned by its first byte, so that a later format can read this one.
 *
 * <p>A record, under its 32-byte key:
 * <pre>
 *   u8   format (1)
 *   u8   flags (bit 0: tombstone)
 *   i64  version sequence
 *   32B  version writer
 *   i64  expiresAt, seconds since the epoch
 *   i32  expiresAt, nanoseconds of the second
 *   ...  the value's bytes, to the end
 * </pre>
 * An expiry-index key: {@code i64 seconds (sign bit flipped) ‖ i32 nanoseconds ‖ 32B key}, all
 * big-endian, so that the byte order RocksDB sorts by is the order of expiry, then key.
 */
final class RecordCodec {
  static final byte FORMAT_1 = 1;
  private static final int TOMBSTONE = 1;
  static final int HEADER_BYTES = 1 + 1 + 8 + NodeId.BYTES + 8 + 4;
  static final int EXPIRY_KEY_BYTES = 8 + 4 + NodeId.BYTES;

  private RecordCodec() {}

  static byte[] encode(ValueRecord record) {
    byte[] value = record.valueUnsafe();
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + value.length);
    b.put(FORMAT_1);
    b.put((byte) (record.isTombstone() ? TOMBSTONE : 0));
    b.putLong(record.version().sequence());
    b.put(record.version().writer().toBytes());
    b.putLong(record.expiresAt().getEpochSecond());
    b.putInt(record.expiresAt().getNano());
    b.put(value);
    return b.array();
  }

  /** Decodes what {@link #encode} wrote for {@code key}; fails on bytes of another format. */
  static ValueRecord decode(NodeId key, byte[] bytes) {
    if (bytes.length < HEADER_BYTES) {
      throw new IllegalArgumentException("record of " + key.shortHex() + " is " + bytes.length
          + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte format = b.get();
    if (format != FORMAT_1) {
      throw new IllegalArgumentException("record of " + key.shortHex() + " has format " + format
          + ", this build reads format " + FORMAT_1);
    }
    boolean tombstone = (b.get() & TOMBSTONE) != 0;
    long sequence = b.getLong();
    byte[] writer = new byte[NodeId.BYTES];
    b.get(writer);
    Instant expiresAt = Instant.ofEpochSecond(b.getLong(), b.getInt());
    Version version = new Version(sequence, NodeId.fromBytes(writer));
    if (tombstone) {
      return ValueRecord.tombstone(key, version, expiresAt);
    }
    return ValueRecord.valueOwning(key, Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length),
        version, expiresAt);
  }

  /** What a record of this encoded form costs the store, without decoding it. */
  static long storedBytes(byte[] encoded) {
    return NodeId.BYTES + (encoded.length - HEADER_BYTES) + 64L;
  }

  static byte[] expiryKey(Instant expiresAt, NodeId key) {
    return ByteBuffer.allocate(EXPIRY_KEY_BYTES)
        .putLong(expiresAt.getEpochSecond() ^ Long.MIN_VALUE)
        .putInt(expiresAt.getNano())
        .put(key.toBytes())
        .array();
  }

  static Instant expiryOf(byte[] expiryKey) {
    ByteBuffer b = ByteBuffer.wrap(expiryKey);
    return Instant.ofEpochSecond(b.getLong() ^ Long.MIN_VALUE, b.getInt());
  }

  static NodeId keyOf(byte[] expiryKey) {
    return NodeId.fromBytes(Arrays.copyOfRange(expiryKey, 12, EXPIRY_KEY_BYTES));
  }
}
