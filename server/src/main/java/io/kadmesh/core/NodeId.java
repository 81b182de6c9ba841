package io.kadmesh.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A point in Kademlia's 256-bit ID space: node IDs and record keys alike (paper §2.1).
 *
 * <p>Held as four longs, most significant first, so that XOR distance and its comparison cost a
 * few instructions and no allocation: the routing table and lookups compare distances constantly.
 */
public final class NodeId implements Comparable<NodeId> {
  /** ID length in bytes on the wire. */
  public static final int BYTES = 32;
  /** ID length in bits. */
  public static final int BITS = 256;

  private final long w0;
  private final long w1;
  private final long w2;
  private final long w3;

  private NodeId(long w0, long w1, long w2, long w3) {
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    this.w3 = w3;
  }

  /** The ID whose big-endian bytes are {@code bytes}; they must be exactly 32. */
  public static NodeId fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("an ID is " + BYTES + " bytes, got " + bytes.length);
    }
    return new NodeId(word(bytes, 0), word(bytes, 8), word(bytes, 16), word(bytes, 24));
  }

  /** The ID written as 64 hex digits. */
  public static NodeId fromHex(String hex) {
    return fromBytes(HexFormat.of().parseHex(hex));
  }

  /** SHA-256 of the key's UTF-8 bytes: where an application's key lives in the ID space. */
  public static NodeId ofKey(String key) {
    return ofBytes(key.getBytes(StandardCharsets.UTF_8));
  }

  /** SHA-256 of {@code data}. */
  public static NodeId ofBytes(byte[] data) {
    try {
      return fromBytes(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }

  /** A uniformly random ID. */
  public static NodeId random(Random random) {
    return new NodeId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
  }

  /**
   * A random ID that shares exactly {@code prefixLength} leading bits with this one: a target for
   * refreshing the bucket of that index (paper §2.3).
   */
  public NodeId randomWithPrefix(int prefixLength, Random random) {
    if (prefixLength < 0 || prefixLength >= BITS) {
      throw new IllegalArgumentException("prefix length must be in [0, " + BITS + "): " + prefixLength);
    }
    long[] own = words();
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      int bitsBefore = i * 64;
      int keep = Math.max(0, Math.min(64, prefixLength - bitsBefore));
      long r = random.nextLong();
      long keepMask = keep == 0 ? 0L : keep == 64 ? -1L : -1L << (64 - keep);
      out[i] = (own[i] & keepMask) | (r & ~keepMask);
      if (prefixLength >= bitsBefore && prefixLength < bitsBefore + 64) {
        long flip = 1L << (63 - (prefixLength - bitsBefore));
        out[i] = (out[i] & ~flip) | (~own[i] & flip);
      }
    }
    return new NodeId(out[0], out[1], out[2], out[3]);
  }

  /** The XOR distance to {@code other}, itself a point in the ID space. */
  public NodeId xor(NodeId other) {
    return new NodeId(w0 ^ other.w0, w1 ^ other.w1, w2 ^ other.w2, w3 ^ other.w3);
  }

  /**
   * Negative, zero or positive as {@code a} is closer to this ID than {@code b}, as close, or
   * further, by XOR distance.
   */
  public int compareDistance(NodeId a, NodeId b) {
    int c = Long.compareUnsigned(w0 ^ a.w0, w0 ^ b.w0);
    if (c != 0) return c;
    c = Long.compareUnsigned(w1 ^ a.w1, w1 ^ b.w1);
    if (c != 0) return c;
    c = Long.compareUnsigned(w2 ^ a.w2, w2 ^ b.w2);
    if (c != 0) return c;
    return Long.compareUnsigned(w3 ^ a.w3, w3 ^ b.w3);
  }

  /** How many leading bits this ID shares with {@code other}: 256 for the same ID. */
  public int commonPrefixLength(NodeId other) {
    long x = w0 ^ other.w0;
    if (x != 0) return Long.numberOfLeadingZeros(x);
    x = w1 ^ other.w1;
    if (x != 0) return 64 + Long.numberOfLeadingZeros(x);
    x = w2 ^ other.w2;
    if (x != 0) return 128 + Long.numberOfLeadingZeros(x);
    x = w3 ^ other.w3;
    if (x != 0) return 192 + Long.numberOfLeadingZeros(x);
    return BITS;
  }

  /** The big-endian bytes. */
  public byte[] toBytes() {
    byte[] out = new byte[BYTES];
    put(out, 0, w0);
    put(out, 8, w1);
    put(out, 16, w2);
    put(out, 24, w3);
    return out;
  }

  /** The 64 hex digits. */
  public String toHex() {
    return HexFormat.of().formatHex(toBytes());
  }

  /** The first 8 hex digits, for logs. */
  public String shortHex() {
    return toHex().substring(0, 8);
  }

  /** Unsigned numeric order: used to break ties between versions of equal sequence. */
  @Override
  public int compareTo(NodeId o) {
    int c = Long.compareUnsigned(w0, o.w0);
    if (c != 0) return c;
    c = Long.compareUnsigned(w1, o.w1);
    if (c != 0) return c;
    c = Long.compareUnsigned(w2, o.w2);
    if (c != 0) return c;
    return Long.compareUnsigned(w3, o.w3);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeId other
        && w0 == other.w0 && w1 == other.w1 && w2 == other.w2 && w3 == other.w3;
  }

  @Override
  public int hashCode() {
    // IDs are uniformly distributed: any word is a good hash.
    return Long.hashCode(w3);
  }

  @Override
  public String toString() {
    return toHex();
  }

  private long[] words() {
    return new long[] {w0, w1, w2, w3};
  }

  private static long word(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  private static void put(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
