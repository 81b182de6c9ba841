package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The bytes a persistent store keeps for a record, the key it keeps it under, and its entry in the
 * expiry index. One explicit format, versioned by its first byte, so that a later format can read
 * this one.
 *
 * <p>A store key: a plain record's 32-byte key as it is (so that stores written before kinds
 * existed read unchanged), another kind's key followed by one kind byte (1 signed, 2 content,
 * 3 endpoint), and for an endpoint entry its sub-key after that (the announcer's public key and
 * the address, {@link StoredKey#endpointSubKey}). Bytewise order is then (key, kind, sub-key),
 * plain first: the order of {@link StoredKey}, and a service's entries share the 33-byte prefix
 * of key and kind, which a read of the set iterates over.
 *
 * <p>A record (format 3, written by this build):
 * <pre>
 *   u8   format (3)
 *   u8   flags (bit 0: tombstone; bit 1: placed by a peer)
 *   u8   kind (0 plain, 1 signed, 2 content, 3 endpoint)
 *   i64  version sequence (a signed record's or endpoint entry's seq)
 *   32B  version writer (for a signed record derived from its signature, and rebuilt from it)
 *   i64  expiresAt, seconds since the epoch
 *   i32  expiresAt, nanoseconds of the second
 *   32B  placer: the peer whose STORE placed it (zeros when bit 1 is clear: this node's own)
 *   signed records and endpoint entries only, each an i32 length and its bytes: public key,
 *        name (UTF-8), signature
 *   ...  the value's bytes, to the end (an endpoint entry's, withdrawn or not)
 * </pre>
 * Format 2 is format 3 without the kind byte and the proof: a plain record. Format 1 is format 2
 * without the placer; its records read as this node's own, so they count against no peer's quota
 * until a peer replaces them.
 *
 * <p>An expiry-index key: {@code i64 seconds (sign bit flipped) ‖ i32 nanoseconds ‖ store key},
 * all big-endian, so that the byte order RocksDB sorts by is the order of expiry, then key.
 */
final class RecordCodec {
  static final byte FORMAT_1 = 1;
  static final byte FORMAT_2 = 2;
  static final byte FORMAT_3 = 3;
  private static final int TOMBSTONE = 1;
  private static final int PLACED_BY_PEER = 2;
  static final int HEADER_BYTES = 1 + 1 + 8 + NodeId.BYTES + 8 + 4;
  static final int HEADER_2_BYTES = HEADER_BYTES + NodeId.BYTES;
  static final int HEADER_3_BYTES = HEADER_2_BYTES + 1;
  private static final int KIND_OFFSET = 2;
  static final int EXPIRY_KEY_BYTES = 8 + 4 + NodeId.BYTES;
  private static final byte[] NO_PLACER = new byte[NodeId.BYTES];
  private static final RecordKind[] KINDS = RecordKind.values();

  private RecordCodec() {}

  /** Encodes a record of this node's own. */
  static byte[] encode(ValueRecord record) {
    return encode(record, null);
  }

  /** Encodes {@code record} as placed by {@code placer} (null: this node). */
  static byte[] encode(ValueRecord record, NodeId placer) {
    byte[] value = record.valueUnsafe();
    RecordSignature signature = record.signature();
    byte[] publicKey = signature == null ? null : signature.publicKey();
    byte[] name = signature == null ? null : signature.name().getBytes(StandardCharsets.UTF_8);
    byte[] signatureBytes = signature == null ? null : signature.signature();
    int proof = signature == null ? 0
        : 12 + publicKey.length + name.length + signatureBytes.length;
    ByteBuffer b = ByteBuffer.allocate(HEADER_3_BYTES + proof + value.length);
    b.put(FORMAT_3);
    b.put((byte) ((record.isTombstone() ? TOMBSTONE : 0) | (placer != null ? PLACED_BY_PEER : 0)));
    b.put((byte) record.kind().ordinal());
    b.putLong(record.version().sequence());
    b.put(record.version().writer().toBytes());
    b.putLong(record.expiresAt().getEpochSecond());
    b.putInt(record.expiresAt().getNano());
    b.put(placer == null ? NO_PLACER : placer.toBytes());
    if (signature != null) {
      b.putInt(publicKey.length).put(publicKey);
      b.putInt(name.length).put(name);
      b.putInt(signatureBytes.length).put(signatureBytes);
    }
    b.put(value);
    return b.array();
  }

  /** Decodes what {@link #encode} (or a format-1 or format-2 build) wrote for {@code key}. */
  static ValueRecord decode(NodeId key, byte[] bytes) {
    int header = headerBytes(key, bytes);
    boolean format3 = bytes[0] == FORMAT_3;
    ByteBuffer b = ByteBuffer.wrap(bytes);
    b.position(1);
    boolean tombstone = (b.get() & TOMBSTONE) != 0;
    RecordKind kind = format3 ? kind(key, b.get()) : RecordKind.PLAIN;
    long sequence = b.getLong();
    byte[] writer = new byte[NodeId.BYTES];
    b.get(writer);
    Instant expiresAt = Instant.ofEpochSecond(b.getLong(), b.getInt());
    b.position(header);
    if (ValueRecord.isSignedKind(kind)) {
      byte[] publicKey = lengthPrefixed(key, b);
      String name = new String(lengthPrefixed(key, b), StandardCharsets.UTF_8);
      byte[] signature = lengthPrefixed(key, b);
      byte[] value = Arrays.copyOfRange(bytes, b.position(), bytes.length);
      RecordSignature proof = new RecordSignature(publicKey, name, sequence, signature);
      return kind == RecordKind.ENDPOINT
          ? ValueRecord.endpointOwning(key, value, expiresAt, tombstone, proof)
          : ValueRecord.signedOwning(key, value, expiresAt, tombstone, proof);
    }
    Version version = new Version(sequence, NodeId.fromBytes(writer));
    byte[] value = Arrays.copyOfRange(bytes, header, bytes.length);
    if (kind == RecordKind.CONTENT) {
      return ValueRecord.contentOwning(key, value, version, expiresAt);
    }
    if (tombstone) {
      return ValueRecord.tombstone(key, version, expiresAt);
    }
    return ValueRecord.valueOwning(key, value, version, expiresAt);
  }

  private static RecordKind kind(NodeId key, byte kind) {
    if (kind < 0 || kind >= KINDS.length) {
      throw new IllegalArgumentException("record of " + key.shortHex() + " has kind " + kind
          + ", this build knows kinds 0 to " + (KINDS.length - 1));
    }
    return KINDS[kind];
  }

  private static byte[] lengthPrefixed(NodeId key, ByteBuffer b) {
    int length = b.remaining() < 4 ? -1 : b.getInt();
    if (length < 0 || length > b.remaining()) {
      throw new IllegalArgumentException("record of " + key.shortHex()
          + " is truncated in its signature fields");
    }
    byte[] out = new byte[length];
    b.get(out);
    return out;
  }

  /** The peer that placed the encoded record, or null for this node's own (and format 1). */
  static NodeId placerOf(NodeId key, byte[] bytes) {
    int header = headerBytes(key, bytes);
    if (bytes[0] == FORMAT_1 || (bytes[1] & PLACED_BY_PEER) == 0) return null;
    return NodeId.fromBytes(Arrays.copyOfRange(bytes, header - NodeId.BYTES, header));
  }

  /** The header's length for the encoded record's format; fails on a format this build can't read. */
  private static int headerBytes(NodeId key, byte[] bytes) {
    if (bytes.length < 1) {
      throw new IllegalArgumentException("record of " + key.shortHex() + " is empty");
    }
    int header = switch (bytes[0]) {
      case FORMAT_1 -> HEADER_BYTES;
      case FORMAT_2 -> HEADER_2_BYTES;
      case FORMAT_3 -> HEADER_3_BYTES;
      default -> throw new IllegalArgumentException("record of " + key.shortHex()
          + " has format " + bytes[0] + ", this build reads formats " + FORMAT_1 + " to "
          + FORMAT_3);
    };
    if (bytes.length < header) {
      throw new IllegalArgumentException("record of " + key.shortHex() + " is " + bytes.length
          + " bytes, shorter than the " + header + "-byte header of format " + bytes[0]);
    }
    return header;
  }

  /**
   * What a record of this encoded form costs the store ({@link ValueRecord#storedBytes()}), from
   * its lengths alone, without decoding it.
   */
  static long storedBytes(byte[] encoded) {
    if (encoded[0] != FORMAT_3) {
      int header = encoded[0] == FORMAT_1 ? HEADER_BYTES : HEADER_2_BYTES;
      return NodeId.BYTES + (encoded.length - header) + 64L;
    }
    if (encoded[KIND_OFFSET] != RecordKind.SIGNED.ordinal()
        && encoded[KIND_OFFSET] != RecordKind.ENDPOINT.ordinal()) {
      return NodeId.BYTES + (encoded.length - HEADER_3_BYTES) + 64L;
    }
    ByteBuffer b = ByteBuffer.wrap(encoded);
    int publicKey = b.getInt(HEADER_3_BYTES);
    int name = b.getInt(HEADER_3_BYTES + 4 + publicKey);
    int signature = b.getInt(HEADER_3_BYTES + 8 + publicKey + name);
    int value = encoded.length - HEADER_3_BYTES - 12 - publicKey - name - signature;
    return NodeId.BYTES + value + 64L + RecordSignature.storedBytes(publicKey, name, signature);
  }

  /**
   * The key a record is stored under: its 32-byte key, and for all but plain a kind byte and the
   * sub-key.
   */
  static byte[] storeKey(StoredKey at) {
    byte[] key = at.key().toBytes();
    if (at.kind() == RecordKind.PLAIN) return key;
    byte[] subKey = at.subKey();
    byte[] out = Arrays.copyOf(key, NodeId.BYTES + 1 + subKey.length);
    out[NodeId.BYTES] = (byte) at.kind().ordinal();
    System.arraycopy(subKey, 0, out, NodeId.BYTES + 1, subKey.length);
    return out;
  }

  /** The prefix every store key of {@code kind} under {@code key} starts with (not plain's). */
  static byte[] kindPrefix(NodeId key, RecordKind kind) {
    return storeKey(new StoredKey(key, kind));
  }

  /** What {@link #storeKey} encoded, from {@code bytes} starting at {@code offset}. */
  static StoredKey storedKeyOf(byte[] bytes, int offset) {
    int length = bytes.length - offset;
    if (length < NodeId.BYTES) {
      throw new IllegalArgumentException("a store key is at least " + NodeId.BYTES
          + " bytes, got " + length);
    }
    NodeId key = NodeId.fromBytes(Arrays.copyOfRange(bytes, offset, offset + NodeId.BYTES));
    if (length == NodeId.BYTES) return new StoredKey(key, RecordKind.PLAIN);
    RecordKind kind = kind(key, bytes[offset + NodeId.BYTES]);
    if (kind == RecordKind.ENDPOINT) {
      return new StoredKey(key, kind,
          Arrays.copyOfRange(bytes, offset + NodeId.BYTES + 1, bytes.length));
    }
    if (length != NodeId.BYTES + 1) {
      throw new IllegalArgumentException("a " + kind + " record's store key is "
          + (NodeId.BYTES + 1) + " bytes, got " + length);
    }
    return new StoredKey(key, kind);
  }

  static StoredKey storedKeyOf(byte[] storeKey) {
    return storedKeyOf(storeKey, 0);
  }

  static byte[] expiryKey(Instant expiresAt, StoredKey at) {
    byte[] key = storeKey(at);
    return ByteBuffer.allocate(8 + 4 + key.length)
        .putLong(expiresAt.getEpochSecond() ^ Long.MIN_VALUE)
        .putInt(expiresAt.getNano())
        .put(key)
        .array();
  }

  static Instant expiryOf(byte[] expiryKey) {
    ByteBuffer b = ByteBuffer.wrap(expiryKey);
    return Instant.ofEpochSecond(b.getLong() ^ Long.MIN_VALUE, b.getInt());
  }

  /** The record an expiry-index entry names. */
  static StoredKey keyOf(byte[] expiryKey) {
    return storedKeyOf(expiryKey, 12);
  }
}
