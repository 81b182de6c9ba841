package io.kadmesh.client.resolver;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Turns an endpoint's HOST:PORT, as announced (IPv6 hosts in brackets), into the socket address a
 * subchannel connects to.
 */
final class EndpointAddresses {
  private EndpointAddresses() {}

  /**
   * The socket address of HOST:PORT. An IP literal is taken as it is; a host name is looked up
   * here (so call this off the channel's synchronization context). Throws IllegalArgumentException
   * naming what is wrong: the announcer may be any node, so the address is checked, not trusted.
   */
  static InetSocketAddress parse(String hostPort) {
    int colon;
    String host;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
        throw new IllegalArgumentException("endpoint " + hostPort + ": expected [IPV6]:PORT");
      }
      host = hostPort.substring(1, close);
      colon = close + 1;
      if (!InetAddresses.isInetAddress(host) || host.indexOf(':') < 0) {
        throw new IllegalArgumentException("endpoint " + hostPort + ": not an IPv6 address in brackets");
      }
    } else {
      colon = hostPort.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("endpoint " + hostPort + ": expected HOST:PORT");
      }
      host = hostPort.substring(0, colon);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException("endpoint " + hostPort + ": an IPv6 host must be in brackets");
      }
    }
    int port = port(hostPort, hostPort.substring(colon + 1));
    if (InetAddresses.isInetAddress(host)) {
      InetAddress literal = InetAddresses.forString(host);
      return new InetSocketAddress(literal, port);
    }
    InetSocketAddress looked = new InetSocketAddress(host, port);
    if (looked.isUnresolved()) {
      throw new IllegalArgumentException("endpoint " + hostPort + ": host " + host + " does not resolve");
    }
    return looked;
  }

  private static int port(String hostPort, String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("endpoint " + hostPort + ": port must be 1 to 65535");
    }
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("endpoint " + hostPort + ": port must be 1 to 65535");
    }
    return port;
  }
}
