package io.kadmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

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
}
