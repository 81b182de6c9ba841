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
  private static final Pattern PLAIN = Pattern.compile("([A-Za-z0-9._-]+):(\\d{1,5})");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

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
    Matcher m = BRACKETED.matcher(address);
    if (m.matches()) {
      InetAddress ip = ipv6Literal(m.group(1));
      return ip == null ? null : of(m.group(1), m.group(2), ip);
    }
    m = PLAIN.matcher(address);
    if (!m.matches()) return null;
    String host = m.group(1);
    Matcher v4 = IPV4.matcher(host);
    if (v4.matches()) {
      InetAddress ip = ipv4Literal(v4);
      return ip == null ? null : of(host, m.group(2), ip);
    }
    return of(host.toLowerCase(Locale.ROOT), m.group(2), null);
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

  private static InetAddress ipv4Literal(Matcher m) {
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(m.group(i + 1));
      if (octet > 255) return null;
      b[i] = (byte) octet;
    }
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
