package io.kadmesh.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeIdTest {
  private final Random random = new Random(7);

  private static BigInteger num(NodeId id) {
    return new BigInteger(1, id.toBytes());
  }

  @Test
  void xorDistance_matchesBigIntegerXor() {
    for (int i = 0; i < 100; i++) {
      NodeId a = NodeId.random(random);
      NodeId b = NodeId.random(random);
      assertThat(num(a.xor(b))).isEqualTo(num(a).xor(num(b)));
      assertThat(a.xor(a)).isEqualTo(NodeId.fromBytes(new byte[32]));
    }
  }

  @Test
  void compareDistance_ordersAsNumericXorDistance() {
    for (int i = 0; i < 200; i++) {
      NodeId t = NodeId.random(random);
      NodeId a = NodeId.random(random);
      NodeId b = NodeId.random(random);
      int expected = num(t).xor(num(a)).compareTo(num(t).xor(num(b)));
      assertThat(Integer.signum(t.compareDistance(a, b))).isEqualTo(Integer.signum(expected));
    }
    NodeId t = NodeId.random(random);
    assertThat(t.compareDistance(t, t)).isZero();
  }

  @Test
  void commonPrefixLength_countsSharedLeadingBits_and256ForSameId() {
    NodeId a = NodeId.random(random);
    assertThat(a.commonPrefixLength(a)).isEqualTo(256);
    for (int i = 0; i < 100; i++) {
      NodeId b = NodeId.random(random);
      int expected = 256 - num(a).xor(num(b)).bitLength();
      assertThat(a.commonPrefixLength(b)).isEqualTo(expected);
    }
  }

  @Test
  void randomWithPrefix_sharesExactlyThatManyBits_forEveryLength() {
    NodeId a = NodeId.random(random);
    for (int p = 0; p < NodeId.BITS; p++) {
      assertThat(a.randomWithPrefix(p, random).commonPrefixLength(a)).as("prefix %d", p).isEqualTo(p);
    }
    assertThatThrownBy(() -> a.randomWithPrefix(256, random)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hexAndBytes_roundTrip() {
    NodeId a = NodeId.random(random);
    assertThat(NodeId.fromHex(a.toHex())).isEqualTo(a);
    assertThat(NodeId.fromBytes(a.toBytes())).isEqualTo(a);
    assertThat(a.toHex()).hasSize(64).startsWith(a.shortHex());
    assertThatThrownBy(() -> NodeId.fromBytes(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }
}
