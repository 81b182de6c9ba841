package io.kadmesh.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.routing.UpdateResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The subnet limits (go-libp2p-kbucket's peerdiversity): 2 per bucket, 3 per table by default. */
class RoutingTableDiversityTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final int K = 8;
  private final Random random = new Random(3);
  private final NodeId self = NodeId.random(random);
  private int port = 7000;

  private RoutingTable table(boolean exemptLoopback) {
    return new RoutingTable(self, K, 4, 2, Duration.ZERO, new SubnetDiversity(2, 3, exemptLoopback, false), T0);
  }

  private Contact at(int bucket, String host) {
    String address = host.contains(":") ? "[" + host + "]:" + (port++) : host + ":" + (port++);
    return new Contact(self.randomWithPrefix(bucket, random), address);
  }

  @Test
  void oneIpv4Slash24_getsTwoPlacesPerBucket_andNeitherAPlaceNorTheCacheBeyond() {
    RoutingTable t = table(true);
    assertThat(t.seen(at(0, "10.1.2.3"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(0, "10.1.2.4"), T0).outcome()).isEqualTo(Outcome.ADDED);

    Contact third = at(0, "10.1.2.5");
    assertThat(t.seen(third, T0).outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(t.claimed(third, T0).outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(t.bucket(0)).hasSize(2);
    assertThat(t.replacements(0)).isEmpty();
    // Another /24 is welcome.
    assertThat(t.seen(at(0, "10.1.3.5"), T0).outcome()).isEqualTo(Outcome.ADDED);
  }

  @Test
  void oneSubnet_getsThreePlacesInTheWholeTable() {
    RoutingTable t = table(true);
    assertThat(t.seen(at(0, "10.1.2.3"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(1, "10.1.2.4"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(2, "10.1.2.5"), T0).outcome()).isEqualTo(Outcome.ADDED);

    assertThat(t.seen(at(3, "10.1.2.6"), T0).outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(t.size()).isEqualTo(3);
  }

  @Test
  void privateNetworks_whenExempt_fillTheTableFromOneSlash24_whilePublicSubnetsStayLimited() {
    RoutingTable t = new RoutingTable(self, K, 4, 2, Duration.ZERO,
        new SubnetDiversity(2, 3, true, true), T0);
    for (int i = 0; i < 6; i++) {
      assertThat(t.seen(at(0, "10.213.1." + (i + 2)), T0).outcome()).isEqualTo(Outcome.ADDED);
    }
    assertThat(t.seen(at(1, "203.0.113.1"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(1, "203.0.113.2"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(1, "203.0.113.3"), T0).outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void ipv6_isLimitedPerSlash48() {
    RoutingTable t = table(true);
    assertThat(t.seen(at(0, "2001:db8:1:a::1"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(0, "2001:db8:1:b::1"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(0, "2001:db8:1:ffff::2"), T0).outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(t.seen(at(0, "2001:db8:2::1"), T0).outcome()).isEqualTo(Outcome.ADDED);
  }

  @Test
  void aHostName_isAGroupOfItsOwn() {
    RoutingTable t = table(true);
    t.seen(at(0, "peer.example.org"), T0);
    t.seen(at(0, "peer.example.org"), T0);
    assertThat(t.seen(at(0, "peer.example.org"), T0).outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(t.seen(at(0, "other.example.org"), T0).outcome()).isEqualTo(Outcome.ADDED);
  }

  @Test
  void loopback_isExemptByDefault_andLimitedWithoutTheExemption() {
    RoutingTable exempt = table(true);
    for (int i = 0; i < K; i++) {
      assertThat(exempt.seen(at(0, "127.0.0.1"), T0).outcome()).isEqualTo(Outcome.ADDED);
    }
    RoutingTable limited = table(false);
    limited.seen(at(0, "127.0.0.1"), T0);
    limited.seen(at(0, "127.0.0.1"), T0);
    assertThat(limited.seen(at(0, "127.0.0.1"), T0).outcome()).isEqualTo(Outcome.REFUSED);
  }

  @Test
  void aPlaceFreedByAContactThatLeft_goesToTheSameSubnetAgain() {
    RoutingTable t = table(true);
    Contact a = at(0, "10.1.2.3");
    t.seen(a, T0);
    t.seen(at(0, "10.1.2.4"), T0);
    t.remove(a.id());

    assertThat(t.seen(at(0, "10.1.2.5"), T0).outcome()).isEqualTo(Outcome.ADDED);
  }

  @Test
  void aCachedNewcomer_isPromotedOnlyWithinTheLimits() {
    RoutingTable t = new RoutingTable(self, 2, 4, 1, Duration.ZERO, new SubnetDiversity(1, 3, true, false), T0);
    Contact a = at(0, "10.1.1.1");
    Contact b = at(0, "10.2.2.2");
    t.seen(a, T0);
    t.seen(b, T0);
    Contact sameSubnetAsA = at(0, "10.1.1.9");
    Contact fresh = at(0, "10.3.3.3");
    // Cached while the bucket is full: each is within the limits as things stand.
    assertThat(t.seen(fresh, T0).outcome()).isEqualTo(Outcome.CACHED);
    assertThat(t.seen(sameSubnetAsA, T0).outcome()).isEqualTo(Outcome.REFUSED);

    t.pingFailed(b);

    assertThat(t.bucket(0)).containsExactly(a, fresh);
  }

  @Test
  void anAddressChange_intoAFullSubnet_dropsTheContactRatherThanPassTheLimit() {
    RoutingTable t = table(true);
    Contact mover = at(0, "10.9.9.9");
    t.seen(mover, T0);
    t.seen(at(1, "10.1.2.3"), T0);
    t.seen(at(2, "10.1.2.4"), T0);
    t.seen(at(3, "10.1.2.5"), T0);
    Contact movedIn = new Contact(mover.id(), "10.1.2.6:7000");

    t.moved(mover, movedIn, T0);

    assertThat(t.find(mover.id())).isNull();
    assertThat(t.size()).isEqualTo(3);
  }
}
