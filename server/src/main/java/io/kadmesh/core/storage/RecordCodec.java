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
 * <p>A record, under its 32-byte key (format 2, written by this build):
 * <pre>
 *   u8   format (2)
 *   u8   flags (bit 0: tombstone; bit 1: placed by a peer)
 *   i64  version sequence
 *   32B  version writer
 *   i64  expiresAt, seconds since the epoch
 *   i32  expiresAt, nanoseconds of the second
 *   32B  placer: the peer whose STORE placed it (zeros when bit 1 is clear: this node's own)
 *   ...  the value's bytes, to the end
 * </pre>
 * Format 1, written by earlier builds, is the same without the placer; its records read as this
 * node's own, so they count against no peer's quota until a peer replaces them.
 *
 * <p>An expiry-index key: {@code i64 seconds (sign bit flipped) ‖ i32 nanoseconds ‖ 32B key}, all
 * big-endian, so that the byte order RocksDB sorts by is the order of expiry, then key.
 */
final class RecordCodec {
  static final byte FORMAT_1 = 1;
  static final byte FORMAT_2 = 2;
  private static final int TOMBSTONE = 1;
  private static final int PLACED_BY_PEER = 2;
  static final int HEADER_BYTES = 1 + 1 + 8 + NodeId.BYTES + 8 + 4;
  static final int HEADER_2_BYTES = HEADER_BYTES + NodeId.BYTES;
  static final int EXPIRY_KEY_BYTES = 8 + 4 + NodeId.BYTES;
  private static final byte[] NO_PLACER = new byte[NodeId.BYTES];

  private RecordCodec() {}

  /** Encodes a record of this node's own. */
  static byte[] encode(ValueRecord record) {
    return encode(record, null);
  }

  /** Encodes {@code record} as placed by {@code placer} (null: this node). */
  static byte[] encode(ValueRecord record, NodeId placer) {
    byte[] value = record.valueUnsafe();
    ByteBuffer b = ByteBuffer.allocate(HEADER_2_BYTES + value.length);
    b.put(FORMAT_2);
    b.put((byte) ((record.isTombstone() ? TOMBSTONE : 0) | (placer != null ? PLACED_BY_PEER : 0)));
    b.putLong(record.version().sequence());
    b.put(record.version().writer().toBytes());
    b.putLong(record.expiresAt().getEpochSecond());
    b.putInt(record.expiresAt().getNano());
    b.put(placer == null ? NO_PLACER : placer.toBytes());
    b.put(value);
    return b.array();
  }

  /** Decodes what {@link #encode} (or a format-1 build) wrote for {@code key}. */
  static ValueRecord decode(NodeId key, byte[] bytes) {
    int header = headerBytes(key, bytes);
    ByteBuffer b = ByteBuffer.wrap(bytes, 1, header - 1);
    boolean tombstone = (b.get() & TOMBSTONE) != 0;
    long sequence = b.getLong();
    byte[] writer = new byte[NodeId.BYTES];
    b.get(writer);
    Instant expiresAt = Instant.ofEpochSecond(b.getLong(), b.getInt());
    Version version = new Version(sequence, NodeId.fromBytes(writer));
    if (tombstone) {
      return ValueRecord.tombstone(key, version, expiresAt);
    }
    return ValueRecord.valueOwning(key, Arrays.copyOfRange(bytes, header, bytes.length),
        version, expiresAt);
  }

  /** The peer that placed the encoded record, or null for this node's own (and format 1). */
  static NodeId placerOf(NodeId key, byte[] bytes) {
    headerBytes(key, bytes);
    if (bytes[0] != FORMAT_2 || (bytes[1] & PLACED_BY_PEER) == 0) return null;
    return NodeId.fromBytes(Arrays.copyOfRange(bytes, HEADER_BYTES, HEADER_2_BYTES));
  }

  /** The header's length for the encoded record's format; fails on a format this build can't read. */
  private static int headerBytes(NodeId key, byte[] bytes) {
    if (bytes.length < 1) {
      throw new IllegalArgumentException("record of " + key.shortHex() + " is empty");
    }
    int header = switch (bytes[0]) {
      case FORMAT_1 -> HEADER_BYTES;
      case FORMAT_2 -> HEADER_2_BYTES;
      default -> throw new IllegalArgumentException("record of " + key.shortHex()
          + " has format " + bytes[0] + ", this build reads formats " + FORMAT_1 + " and "
          + FORMAT_2);
    };
    if (bytes.length < header) {
      throw new IllegalArgumentException("record of " + key.shortHex() + " is " + bytes.length
          + " bytes, shorter than the " + header + "-byte header of format " + bytes[0]);
    }
    return header;
  }

  /** What a record of this encoded form costs the store, without decoding it. */
  static long storedBytes(byte[] encoded) {
    int header = encoded[0] == FORMAT_1 ? HEADER_BYTES : HEADER_2_BYTES;
    return NodeId.BYTES + (encoded.length - header) + 64L;
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
