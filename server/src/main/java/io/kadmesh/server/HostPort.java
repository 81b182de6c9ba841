package io.kadmesh.server;

import java.net.InetSocketAddress;

/**
 * Parses HOST:PORT addresses, with IPv6 hosts in brackets ({@code [::1]:7701}), as the flags and
 * the wire carry them.
 */
public record HostPort(String host, int port) {
  public HostPort {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("host is empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in [0, 65535]: " + port);
    }
  }

  /** Parses {@code HOST:PORT}; throws IllegalArgumentException saying what is wrong. */
  public static HostPort parse(String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("an IPv6 host goes in brackets: '" + address + "'");
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port is not a number in '" + address + "'");
    }
    return new HostPort(host, port);
  }

  public static boolean isValid(String address) {
    // Every contact of every peer answer is checked here: the common shape (a host without
    // brackets or colons, a port of 1 to 5 ASCII digits) is decided without parsing, which
    // allocates, and without an exception; everything else goes through parse.
    int colon = address.lastIndexOf(':');
    int digits = address.length() - colon - 1;
    if (colon > 0 && digits >= 1 && digits <= 5 && address.indexOf(':') == colon
        && address.charAt(0) != '[') {
      int port = 0;
      for (int i = colon + 1; i < address.length() && port >= 0; i++) {
        char c = address.charAt(i);
        port = c >= '0' && c <= '9' ? port * 10 + (c - '0') : -1;
      }
      if (port >= 0) return port <= 65535;
    }
    try {
      parse(address);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  /** True for 0.0.0.0 and ::, which listen on every interface and cannot be dialled. */
  public boolean isWildcard() {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("0:0:0:0:0:0:0:0");
  }

  public HostPort withPort(int newPort) {
    return new HostPort(host, newPort);
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
