package io.kadmesh.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A peer address "HOST:PORT" (or "[IPv6]:PORT") taken apart without any DNS lookup: IP literals are
 * parsed as such, anything else is a host name kept as text. Tells whether a peer may be asked at
 * that address at all, and which neighbourhood (IPv4 /24, IPv6 /48, or the host name itself) it
 * belongs to for the routing table's diversity limits (go-libp2p-kbucket's peerdiversity).
 */
public final class PeerAddress {
  private static final Pattern BRACKETED = Pattern.compile("\\[([0-9A-Fa-f:.]+)]:(\\d{1,5})");
  // The grammar of the rest, which parse takes apart by hand: HOST:PORT with HOST
  // [A-Za-z0-9._-]+ and PORT \d{1,5}; a HOST of four dot-separated groups of 1 to 3 digits is an
  // IPv4 literal.

  private final String host;
  private final int port;
  /** The literal's address, or null for a host name. */
  private final InetAddress ip;

  private PeerAddress(String host, int port, InetAddress ip) {
    this.host = host;
    this.port = port;
    this.ip = ip;
  }

  /** The parsed address, or null when {@code address} is not HOST:PORT with a port in 0..65535. */
  public static PeerAddress parse(String address) {
    if (address == null || address.length() > 300) return null;
    if (address.startsWith("[")) {
      Matcher m = BRACKETED.matcher(address);
      if (!m.matches()) return null;
      InetAddress ip = ipv6Literal(m.group(1));
      return ip == null ? null : of(m.group(1), m.group(2), ip);
    }
    // HOST:PORT, taken apart by hand: every answer's contacts pass here, and the regular
    // expressions this replaced (the grammar written above) cost more than the
    // rest of decoding a contact.
    int colon = address.indexOf(':');
    if (colon <= 0 || !isPort(address, colon + 1)) return null;
    for (int i = 0; i < colon; i++) {
      if (!isHostChar(address.charAt(i))) return null;
    }
    String host = address.substring(0, colon);
    String port = address.substring(colon + 1);
    byte[] v4 = ipv4Octets(host);
    if (v4 != null) {
      InetAddress ip = ipv4Literal(v4);
      return ip == null ? null : of(host, port, ip);
    }
    return of(host.toLowerCase(Locale.ROOT), port, null);
  }

  /**
   * Whether a peer may be asked at {@code address}: it parses, its port is not 0, and its host is
   * neither a wildcard (0.0.0.0, ::) nor a multicast group. A peer that hands out such addresses
   * would have this node dial nothing, or everyone.
   */
  public static boolean isUsable(String address) {
    PeerAddress a = parse(address);
    return a != null && a.port != 0
        && (a.ip == null || !(a.ip.isAnyLocalAddress() || a.ip.isMulticastAddress()));
  }

  /** Whether the host is a loopback address (127/8, ::1) or the name "localhost". */
  public boolean isLoopback() {
    return ip == null ? host.equals("localhost") : ip.isLoopbackAddress();
  }

  /**
   * Whether the host is an address of a private network: IPv4's RFC 1918 ranges (10/8, 172.16/12,
   * 192.168/16) and shared space (100.64/10, RFC 6598), IPv6 unique local addresses (fc00::/7), and
   * link-local addresses of either. Such an address is reachable only inside one site or cluster,
   * where an operator, not the internet, decides who runs a node.
   */
  public boolean isPrivate() {
    if (ip == null) return false;
    if (ip.isSiteLocalAddress() || ip.isLinkLocalAddress()) return true;
    byte[] b = ip.getAddress();
    if (ip instanceof Inet4Address) {
      return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 0x40;
    }
    return (b[0] & 0xfe) == 0xfc;
  }

  /**
   * The neighbourhood for the diversity limits: "ip4:" and the /24, "ip6:" and the /48, or
   * "host:" and the name (a name stands for itself: resolving it would cost a DNS lookup per
   * message, and its owner chose it).
   */
  public String subnet() {
    if (ip == null) return "host:" + host;
    byte[] b = ip.getAddress();
    if (ip instanceof Inet4Address) {
      return "ip4:" + (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff);
    }
    return "ip6:" + HexFormat.of().formatHex(b, 0, 6);
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  private static PeerAddress of(String host, String port, InetAddress ip) {
    int p = Integer.parseInt(port);
    return p > 65535 ? null : new PeerAddress(host, p, ip);
  }

  /** Whether {@code s} from {@code from} on is 1 to 5 ASCII digits: PLAIN's {@code (\\d{1,5})}. */
  private static boolean isPort(String s, int from) {
    int n = s.length() - from;
    if (n < 1 || n > 5) return false;
    for (int i = from; i < s.length(); i++) {
      if (!isDigit(s.charAt(i))) return false;
    }
    return true;
  }

  /** PLAIN's host characters: {@code [A-Za-z0-9._-]}. */
  private static boolean isHostChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '.' || c == '_'
        || c == '-';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * The four numbers of a host that is IPV4's four groups of 1 to 3 digits between dots, or null;
   * a number over 255 is kept (as -1) so that the literal is refused, not taken for a name.
   */
  private static byte[] ipv4Octets(String host) {
    int[] octets = new int[4];
    int group = 0;
    int digits = 0;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (isDigit(c)) {
        if (++digits > 3) return null;
        octets[group] = octets[group] * 10 + (c - '0');
      } else if (c == '.' && digits > 0 && group < 3) {
        group++;
        digits = 0;
      } else {
        return null;
      }
    }
    if (group != 3 || digits == 0) return null;
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (octets[i] > 255) return OUT_OF_RANGE;
      b[i] = (byte) octets[i];
    }
    return b;
  }

  /** An IPv4 literal with a number over 255: no address, and not a host name either. */
  private static final byte[] OUT_OF_RANGE = new byte[0];

  private static InetAddress ipv4Literal(byte[] b) {
    if (b == OUT_OF_RANGE) return null;
    try {
      return InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static InetAddress ipv6Literal(String literal) {
    if (!literal.contains(":")) return null;
    try {
      // In brackets, the JDK parses the literal or refuses it: it never falls back to DNS.
      return InetAddress.getByName("[" + literal + "]");
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
