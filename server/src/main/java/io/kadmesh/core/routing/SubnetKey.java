package io.kadmesh.core.routing;

import io.kadmesh.core.PeerAddress;
import java.security.SecureRandom;

/**
 * A peer address's neighbourhood for the diversity limits ({@link PeerAddress#subnet()}) packed in
 * a long, with whether it is loopback or private, so that a table counts its contacts' subnets in a
 * sorted array instead of a map of strings, and reads an address without a regular expression.
 *
 * <p>Layout, high bits first: 12 zero bits (a key is never negative and leaves the table room for a
 * bucket index beside it), kind (2 bits: IPv4, IPv6, host name, unparsable), loopback, private,
 * then the subnet in the low {@link #VALUE_BITS} bits: the /24 or the /48 exactly, a host name as a
 * seeded hash. A hash can merge two names into one neighbourhood; that costs nothing a name could claim,
 * since any peer may pick any number of names, and the seed, drawn per process, keeps a peer from
 * choosing names that collide with another's.
 */
final class SubnetKey {
  static final int VALUE_BITS = 48;
  private static final long VALUE_MASK = (1L << VALUE_BITS) - 1;
  private static final int KIND_SHIFT = VALUE_BITS + 2;
  private static final long LOOPBACK = 1L << (VALUE_BITS + 1);
  private static final long PRIVATE = 1L << VALUE_BITS;
  private static final long IPV4 = 0L;
  private static final long IPV6 = 1L << KIND_SHIFT;
  private static final long HOST = 2L << KIND_SHIFT;
  static final long UNPARSABLE = 3L << KIND_SHIFT;
  private static final long SEED = new SecureRandom().nextLong();
  private static final int MAX_ADDRESS = 300;

  private SubnetKey() {}

  /** The key of {@code address}: what {@link PeerAddress#parse} reads, without allocating. */
  static long of(String address) {
    if (address == null || address.length() > MAX_ADDRESS) return UNPARSABLE;
    if (address.startsWith("[")) return slow(address);
    int colon = address.indexOf(':');
    if (colon <= 0 || address.indexOf(':', colon + 1) >= 0) return UNPARSABLE;
    int portDigits = address.length() - colon - 1;
    if (portDigits < 1 || portDigits > 5) return UNPARSABLE;
    int port = 0;
    for (int i = colon + 1; i < address.length(); i++) {
      char ch = address.charAt(i);
      if (ch < '0' || ch > '9') return UNPARSABLE;
      port = port * 10 + (ch - '0');
    }
    if (port > 65535) return UNPARSABLE;
    for (int i = 0; i < colon; i++) {
      char ch = address.charAt(i);
      boolean allowed = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
          || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == '-';
      if (!allowed) return UNPARSABLE;
    }
    long v4 = ipv4(address, colon);
    if (v4 == NOT_IPV4) return hostName(address, colon);
    if (v4 < 0) return UNPARSABLE;
    return v4;
  }

  /** Whether the key is of a loopback address (127/8, ::1, "localhost"). */
  static boolean isLoopback(long key) {
    return (key & LOOPBACK) != 0;
  }

  /** Whether the key is of a private network's address ({@link PeerAddress#isPrivate}). */
  static boolean isPrivate(long key) {
    return (key & PRIVATE) != 0;
  }

  private static final long NOT_IPV4 = Long.MIN_VALUE;

  /**
   * The key of an IPv4 literal host, -1 for one with an octet over 255 (which PeerAddress refuses),
   * or NOT_IPV4 when the host is not four groups of 1 to 3 digits.
   */
  private static long ipv4(String a, int end) {
    int[] octets = new int[4];
    int group = 0;
    int digits = 0;
    int value = 0;
    for (int i = 0; i < end; i++) {
      char ch = a.charAt(i);
      if (ch == '.') {
        if (digits == 0 || group == 3) return NOT_IPV4;
        octets[group++] = value;
        digits = 0;
        value = 0;
      } else if (ch >= '0' && ch <= '9') {
        if (++digits > 3) return NOT_IPV4;
        value = value * 10 + (ch - '0');
      } else {
        return NOT_IPV4;
      }
    }
    if (digits == 0 || group != 3) return NOT_IPV4;
    octets[3] = value;
    for (int o : octets) {
      if (o > 255) return -1;
    }
    int b0 = octets[0];
    int b1 = octets[1];
    boolean loopback = b0 == 127;
    boolean privateNet = b0 == 10 || (b0 == 172 && (b1 & 0xF0) == 16) || (b0 == 192 && b1 == 168)
        || (b0 == 169 && b1 == 254) || (b0 == 100 && (b1 & 0xC0) == 0x40);
    long value24 = ((long) b0 << 16) | ((long) b1 << 8) | octets[2];
    return IPV4 | (loopback ? LOOPBACK : 0) | (privateNet ? PRIVATE : 0) | value24;
  }

  /** A host name, compared without case as PeerAddress does: a seeded 64-bit hash, folded. */
  private static long hostName(String a, int end) {
    long h = SEED;
    for (int i = 0; i < end; i++) {
      char ch = a.charAt(i);
      if (ch >= 'A' && ch <= 'Z') ch = (char) (ch + ('a' - 'A'));
      h = mix(h ^ ch);
    }
    h = mix(h ^ end);
    boolean loopback = end == 9 && a.regionMatches(true, 0, "localhost", 0, 9);
    return HOST | (loopback ? LOOPBACK : 0) | (h & VALUE_MASK);
  }

  /** An IPv6 literal in brackets (an IPv4-mapped one is IPv4), rare enough to go through PeerAddress. */
  private static long slow(String address) {
    PeerAddress a = PeerAddress.parse(address);
    if (a == null) return UNPARSABLE;
    String subnet = a.subnet();
    long flags = (a.isLoopback() ? LOOPBACK : 0) | (a.isPrivate() ? PRIVATE : 0);
    if (subnet.startsWith("ip6:")) return IPV6 | flags | Long.parseLong(subnet.substring(4), 16);
    String[] octets = subnet.substring(4).split("\\.");
    long value24 = 0;
    for (String o : octets) value24 = (value24 << 8) | Integer.parseInt(o);
    return IPV4 | flags | value24;
  }

  /** MurmurHash3's 64-bit finalizer. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
