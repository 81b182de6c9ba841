package io.kadmesh.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.PeerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The packed subnet key reads addresses as PeerAddress does, without a regular expression. */
class SubnetKeyTest {
  private static final List<String> ADDRESSES = List.of(
      "10.1.2.3:7000", "10.1.2.200:1", "10.1.3.3:7000", "010.1.2.3:7000", "127.0.0.1:4000",
      "127.9.9.9:1", "172.16.0.1:80", "172.31.255.1:80", "172.32.0.1:80", "192.168.1.1:80",
      "169.254.3.4:80", "100.64.0.1:80", "100.128.0.1:80", "203.0.113.1:7400", "203.0.113.77:7400",
      "256.1.1.1:80", "1.2.3.4.5:80", "1..2.3:80", "1234.1.1.1:80", "node1:4000", "NODE1:4001",
      "node2:4000", "localhost:9000", "LocalHost:9", "peer.example.org:7000", "a_b-c.d:1",
      "host:99999", "host:123456", "host:", ":80", "host", "ho st:80", "a:b:80", "[::1]:7000",
      "[2001:db8:1:a::1]:7000", "[2001:db8:1:ffff::2]:1", "[2001:db8:2::1]:1", "[fc00::1]:1",
      "[fe80::1]:1", "[::ffff:10.0.0.1]:1", "[::ffff:203.0.113.9]:1", "[zz::1]:1", "[1.2.3.4]:1",
      "");

  @Test
  void sameKey_exactlyWhenPeerAddressNamesTheSameSubnet_andTheSameExemptions() {
    List<String> all = new ArrayList<>(ADDRESSES);
    Random random = new Random(5);
    for (int i = 0; i < 300; i++) {
      all.add(random.nextInt(260) + "." + random.nextInt(4) + "." + random.nextInt(3) + "."
          + random.nextInt(256) + ":" + random.nextInt(70000));
    }
    for (String a : all) {
      for (String b : all) {
        assertThat(SubnetKey.of(a) == SubnetKey.of(b))
            .as("%s and %s", a, b)
            .isEqualTo(subnet(a).equals(subnet(b)));
      }
      PeerAddress p = PeerAddress.parse(a);
      long key = SubnetKey.of(a);
      assertThat(SubnetKey.isLoopback(key)).as(a).isEqualTo(p != null && p.isLoopback());
      assertThat(SubnetKey.isPrivate(key)).as(a).isEqualTo(p != null && p.isPrivate());
      assertThat(key).as(a).isNotNegative();
    }
  }

  @Test
  void hostNames_differingOnlyInCase_shareAKey_andOthersDoNot() {
    assertThat(SubnetKey.of("Peer.Example.org:1")).isEqualTo(SubnetKey.of("peer.example.ORG:2"));
    assertThat(SubnetKey.of("node1:4000")).isNotEqualTo(SubnetKey.of("node10:4000"));
  }

  private static String subnet(String address) {
    PeerAddress p = PeerAddress.parse(address);
    return p == null ? "unparsable" : p.subnet();
  }
}
