package io.kadmesh.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.routing.UpdateResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table's compact storage: buckets allocated on first use and grown past their first
 * capacity, replacement caches allocated with their first newcomer, contacts shared, not copied,
 * and the subnet counts kept through additions and removals.
 */
class CompactBucketTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final Random random = new Random(17);
  private final NodeId self = NodeId.random(random);

  private Contact at(int bucket, String address) {
    return new Contact(self.randomWithPrefix(bucket, random), address);
  }

  @Test
  void aBucketFilledOneByOne_keepsLeastRecentlySeenFirst_pastItsFirstCapacity() {
    RoutingTable t = new RoutingTable(self, 20, 5, 3, T0);
    List<Contact> added = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Contact c = at(3, "node" + i + ":4000");
      assertThat(t.seen(c, T0.plusSeconds(i)).outcome()).isEqualTo(Outcome.ADDED);
      added.add(c);
    }
    assertThat(t.bucket(3)).containsExactlyElementsOf(added);
    // Seen again, the oldest moves to the tail; its failures are forgotten.
    t.failed(added.get(0));
    t.seen(added.get(0), T0.plusSeconds(30));
    assertThat(t.bucket(3).get(19)).isSameAs(added.get(0));
    assertThat(t.bucket(3).get(0)).isSameAs(added.get(1));
    assertThat(t.views().stream().filter(v -> v.contact() == added.get(0)).findFirst().orElseThrow()
        .failures()).isZero();
  }

  @Test
  void theReplacementCache_growsUpToItsSize_andDropsItsOldest() {
    RoutingTable t = new RoutingTable(self, 2, 6, 3, Duration.ofMinutes(5), T0);
    t.seen(at(0, "a:1"), T0);
    t.seen(at(0, "b:1"), T0);
    assertThat(t.replacements(0)).isEmpty();
    List<Contact> cached = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Contact c = at(0, "r" + i + ":1");
      assertThat(t.seen(c, T0).outcome()).isEqualTo(Outcome.CACHED);
      cached.add(c);
    }
    assertThat(t.replacements(0)).containsExactlyElementsOf(cached.subList(2, 8));
  }

  @Test
  void contactsHeld_areTheInstancesSeen_sharedRatherThanCopied() {
    RoutingTable a = new RoutingTable(self, 20, 5, 3, T0);
    RoutingTable b = new RoutingTable(NodeId.random(random), 20, 5, 3, T0);
    Contact c = at(0, "shared:4000");
    a.seen(c, T0);
    b.seen(c, T0);
    assertThat(a.find(c.id())).isSameAs(c);
    assertThat(b.find(c.id())).isSameAs(c);
    assertThat(a.closest(c.id(), 1).get(0)).isSameAs(c);
  }

  @Test
  void bucketsNeverUsed_areEmpty_untouchedSinceTheStart_andAnswerNothing() {
    RoutingTable t = new RoutingTable(self, 20, 5, 3, T0);
    Contact c = at(200, "far:1");
    assertThat(t.bucket(255)).isEmpty();
    assertThat(t.replacements(255)).isEmpty();
    assertThat(t.highestNonEmptyBucket()).isEqualTo(-1);
    t.failed(c);
    t.pingFailed(c);
    t.remove(c.id());
    assertThat(t.claimed(c, T0).outcome()).isEqualTo(Outcome.UNVERIFIED);
    t.seen(c, T0);
    assertThat(t.highestNonEmptyBucket()).isEqualTo(200);
    assertThat(t.bucketsIdleSince(T0.plusSeconds(10), Duration.ofSeconds(5))).hasSize(201);
    t.touch(7, T0.plusSeconds(9));
    assertThat(t.bucketsIdleSince(T0.plusSeconds(10), Duration.ofSeconds(5))).hasSize(200)
        .doesNotContain(7);
  }

  @Test
  void subnetCounts_followContactsOut_soThatTheirSubnetIsWelcomeAgain() {
    RoutingTable t = new RoutingTable(self, 8, 4, 1, Duration.ZERO,
        new SubnetDiversity(2, 3, true, false), T0);
    Contact a = at(0, "203.0.113.1:1");
    Contact b = at(1, "203.0.113.2:1");
    Contact c = at(2, "203.0.113.3:1");
    t.seen(a, T0);
    t.seen(b, T0);
    t.seen(c, T0);
    Contact fourth = at(3, "203.0.113.4:1");
    assertThat(t.seen(fourth, T0).outcome()).isEqualTo(Outcome.REFUSED);
    t.remove(b.id());
    assertThat(t.seen(fourth, T0).outcome()).isEqualTo(Outcome.ADDED);
    // A contact that moves to another subnet leaves its old one's count.
    t.moved(a, new Contact(a.id(), "198.51.100.1:1"), T0);
    assertThat(t.seen(at(4, "203.0.113.5:1"), T0).outcome()).isEqualTo(Outcome.ADDED);
    assertThat(t.seen(at(5, "203.0.113.6:1"), T0).outcome()).isEqualTo(Outcome.REFUSED);
  }
}
