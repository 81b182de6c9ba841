package io.kadmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PeerAddressTest {
  @Test
  void subnet_ofIpv4_isThe24_ofIpv6_isThe48_ofANameIsTheName() {
    assertThat(PeerAddress.parse("10.1.2.3:7000").subnet()).isEqualTo("ip4:10.1.2");
    assertThat(PeerAddress.parse("10.1.2.250:1").subnet()).isEqualTo("ip4:10.1.2");
    assertThat(PeerAddress.parse("[2001:db8:aa:1::5]:7000").subnet()).isEqualTo("ip6:20010db800aa");
    assertThat(PeerAddress.parse("[2001:db8:aa:ffff::9]:7000").subnet()).isEqualTo("ip6:20010db800aa");
    assertThat(PeerAddress.parse("Node-7.Example.org:7000").subnet()).isEqualTo("host:node-7.example.org");
    // An IPv4-mapped IPv6 literal is that IPv4 address.
    assertThat(PeerAddress.parse("[::ffff:10.1.2.3]:7000").subnet()).isEqualTo("ip4:10.1.2");
  }

  @Test
  void isLoopback_forThe127Block_ipv6One_andLocalhost() {
    assertThat(PeerAddress.parse("127.0.0.1:1").isLoopback()).isTrue();
    assertThat(PeerAddress.parse("127.9.9.9:1").isLoopback()).isTrue();
    assertThat(PeerAddress.parse("[::1]:1").isLoopback()).isTrue();
    assertThat(PeerAddress.parse("localhost:1").isLoopback()).isTrue();
    assertThat(PeerAddress.parse("10.0.0.1:1").isLoopback()).isFalse();
    assertThat(PeerAddress.parse("example.org:1").isLoopback()).isFalse();
  }

  @Test
  void isPrivate_forRfc1918_sharedSpace_uniqueLocal_andLinkLocal_notForPublicOrNames() {
    for (String a : new String[] {"10.213.1.5:1", "172.16.0.1:1", "172.31.255.1:1",
        "192.168.1.1:1", "100.64.0.1:1", "100.127.255.1:1", "169.254.1.1:1", "[fd00::1]:1",
        "[fc12:3456::1]:1", "[fe80::1]:1"}) {
      assertThat(PeerAddress.parse(a).isPrivate()).as(a).isTrue();
    }
    for (String a : new String[] {"8.8.8.8:1", "172.32.0.1:1", "100.128.0.1:1", "11.0.0.1:1",
        "[2001:db8::1]:1", "node-7.cluster.local:1", "127.0.0.1:1"}) {
      assertThat(PeerAddress.parse(a).isPrivate()).as(a).isFalse();
    }
  }

  @Test
  void parse_ofMalformedAddresses_answersNull() {
    for (String a : new String[] {"", "host", ":1", "host:", "host:-1", "host:65536", "a b:1",
        "1.2.3.256:1", "[zz::1]:1", "[::1]", "::1:7000", "[1.2.3.4]:1"}) {
      assertThat(PeerAddress.parse(a)).as(a).isNull();
    }
  }

  @Test
  void isUsable_refusesPortZero_wildcards_andMulticast() {
    assertThat(PeerAddress.isUsable("10.0.0.1:7000")).isTrue();
    assertThat(PeerAddress.isUsable("[2001:db8::1]:7000")).isTrue();
    assertThat(PeerAddress.isUsable("node3:4000")).isTrue();
    assertThat(PeerAddress.isUsable("10.0.0.1:0")).isFalse();
    assertThat(PeerAddress.isUsable("0.0.0.0:7000")).isFalse();
    assertThat(PeerAddress.isUsable("[::]:7000")).isFalse();
    assertThat(PeerAddress.isUsable("239.1.1.1:7000")).isFalse();
    assertThat(PeerAddress.isUsable("[ff05::2]:7000")).isFalse();
    assertThat(PeerAddress.isUsable("garbage")).isFalse();
  }

  /** The grammar parse took apart with regular expressions before it did so by hand. */
  private static final Pattern PLAIN = Pattern.compile("([A-Za-z0-9._-]+):(\\d{1,5})");
  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  @Test
  void parse_ofRandomUnbracketedAddresses_agreesWithTheRegularGrammar() {
    Random random = new Random(42);
    String alphabet = "0123456789.:-_aZ[]/+ \u0661";
    for (int n = 0; n < 200_000; n++) {
      StringBuilder b = new StringBuilder();
      int length = random.nextInt(22);
      for (int i = 0; i < length; i++) b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      // Shapes the alphabet rarely makes by chance: dotted quads with a port.
      if (n % 3 == 0) {
        b.setLength(0);
        for (int i = 0; i < 4 + random.nextInt(2) - random.nextInt(2); i++) {
          if (i > 0) b.append('.');
          b.append(random.nextInt(random.nextBoolean() ? 300 : 2000));
        }
        b.append(':').append(random.nextInt(100_000));
      }
      String a = b.toString();
      if (a.startsWith("[")) continue;
      PeerAddress parsed = PeerAddress.parse(a);
      String expected = byRegex(a);
      String actual = parsed == null ? null : parsed.host() + "|" + parsed.port() + "|" + parsed.subnet();
      assertThat(actual).as(a).isEqualTo(expected);
    }
  }

  private static String byRegex(String address) {
    Matcher m = PLAIN.matcher(address);
    if (!m.matches()) return null;
    int port = Integer.parseInt(m.group(2));
    if (port > 65535) return null;
    String host = m.group(1);
    Matcher v4 = IPV4.matcher(host);
    if (v4.matches()) {
      StringBuilder subnet = new StringBuilder("ip4:");
      for (int i = 1; i <= 4; i++) {
        if (Integer.parseInt(v4.group(i)) > 255) return null;
        if (i < 4) subnet.append(i > 1 ? "." : "").append(Integer.parseInt(v4.group(i)));
      }
      return host + "|" + port + "|" + subnet;
    }
    String name = host.toLowerCase(java.util.Locale.ROOT);
    return name + "|" + port + "|host:" + name;
  }
}
