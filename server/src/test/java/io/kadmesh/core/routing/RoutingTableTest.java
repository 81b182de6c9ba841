package io.kadmesh.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.routing.UpdateResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final int K = 3;
  private final Random random = new Random(11);
  private final NodeId self = NodeId.random(random);
  private final List<Contact> removed = new ArrayList<>();
  private final RoutingTable table = newTable();

  private RoutingTable newTable() {
    RoutingTable t = new RoutingTable(self, K, 2, 2, T0);
    t.setRemovalListener(removed::add);
    return t;
  }

  private int n;

  /** A contact in bucket {@code index}. */
  private Contact inBucket(int index) {
    return new Contact(self.randomWithPrefix(index, random), "10.0.0." + (++n) + ":7000");
  }

  private List<Contact> fillBucket(int index) {
    List<Contact> cs = new ArrayList<>();
    for (int i = 0; i < K; i++) {
      Contact c = inBucket(index);
      assertThat(table.seen(c, T0).outcome()).isEqualTo(Outcome.ADDED);
      cs.add(c);
    }
    return cs;
  }

  @Test
  void seen_addsUpToK_inTheBucketOfTheSharedPrefixLength() {
    List<Contact> cs = fillBucket(5);
    assertThat(table.bucket(5)).containsExactlyElementsOf(cs);
    assertThat(table.size()).isEqualTo(K);
    assertThat(table.seen(new Contact(self, "me:1"), T0).outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(table.size()).isEqualTo(K);
  }

  @Test
  void seen_knownContact_movesToTail() {
    List<Contact> cs = fillBucket(0);
    assertThat(table.seen(cs.get(0), T0).outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(table.bucket(0)).containsExactly(cs.get(1), cs.get(2), cs.get(0));
  }

  @Test
  void seen_sameIdNewAddress_keepsTheOldAddressAndAsksToPingIt() {
    List<Contact> cs = fillBucket(0);
    Contact moved = new Contact(cs.get(1).id(), "10.9.9.9:7000");

    UpdateResult r = table.seen(moved, T0);

    assertThat(r.outcome()).isEqualTo(Outcome.ADDRESS_CLAIMED);
    assertThat(r.toPing()).isEqualTo(cs.get(1));
    assertThat(table.bucket(0)).containsExactlyElementsOf(cs);
    assertThat(removed).isEmpty();
  }

  @Test
  void moved_afterTheOldAddressFailed_adoptsTheNewAddress_andReportsTheOldOneRemoved() {
    List<Contact> cs = fillBucket(0);
    Contact moved = new Contact(cs.get(1).id(), "10.9.9.9:7000");
    table.seen(moved, T0);

    table.moved(cs.get(1), moved, T0);

    assertThat(table.bucket(0)).containsExactly(cs.get(0), cs.get(2), moved);
    assertThat(removed).containsExactly(cs.get(1));
  }

  @Test
  void moved_ofAContactNoLongerHeldAtThatAddress_changesNothing() {
    List<Contact> cs = fillBucket(0);
    Contact elsewhere = new Contact(cs.get(1).id(), "10.9.9.9:7000");

    table.moved(new Contact(cs.get(1).id(), "10.8.8.8:7000"), elsewhere, T0);

    assertThat(table.bucket(0)).containsExactlyElementsOf(cs);
    assertThat(removed).isEmpty();
  }

  @Test
  void claimed_byAStranger_changesNothingAndAsksForACheck() {
    Contact stranger = inBucket(4);

    assertThat(table.claimed(stranger, T0).outcome()).isEqualTo(Outcome.UNVERIFIED);
    assertThat(table.size()).isZero();
    assertThat(table.replacements(4)).isEmpty();
  }

  @Test
  void claimed_byANewcomerCachedAtThatAddress_keepsItCachedWithoutAnotherCheck_butNotAtAnotherAddress() {
    fillBucket(4);
    Contact newcomer = inBucket(4);
    assertThat(table.seen(newcomer, T0).outcome()).isEqualTo(Outcome.CACHED);

    assertThat(table.claimed(newcomer, T0).outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(table.replacements(4)).containsExactly(newcomer);
    Contact elsewhere = new Contact(newcomer.id(), "10.6.6.6:1");
    assertThat(table.claimed(elsewhere, T0).outcome()).isEqualTo(Outcome.UNVERIFIED);
    assertThat(table.replacements(4)).containsExactly(newcomer);
  }

  @Test
  void claimed_ofAKnownIdAtAnotherAddress_leavesTheLiveContactWhereItIs() {
    List<Contact> cs = fillBucket(0);

    UpdateResult r = table.claimed(new Contact(cs.get(0).id(), "10.6.6.6:1"), T0);

    assertThat(r.outcome()).isEqualTo(Outcome.UNVERIFIED);
    assertThat(table.bucket(0)).containsExactlyElementsOf(cs);
  }

  @Test
  void claimed_byAKnownContactAtItsAddress_refreshesIt_butKeepsItsFailures() {
    List<Contact> cs = fillBucket(0);
    table.failed(cs.get(0));
    table.failed(cs.get(0));
    assertThat(table.staleContacts()).containsExactly(cs.get(0));

    assertThat(table.claimed(cs.get(1), T0).outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(table.bucket(0)).containsExactly(cs.get(0), cs.get(2), cs.get(1));
    // A claim proves nothing: a stale contact stays stale until it answers a check.
    assertThat(table.claimed(cs.get(0), T0).outcome()).isEqualTo(Outcome.UNVERIFIED);
    assertThat(table.staleContacts()).containsExactly(cs.get(0));
  }

  @Test
  void fullBucket_cachesNewcomer_andAsksToPingLeastRecentlySeen_once() {
    List<Contact> cs = fillBucket(2);
    Contact newcomer = inBucket(2);
    UpdateResult r = table.seen(newcomer, T0);
    assertThat(r.outcome()).isEqualTo(Outcome.CACHED);
    assertThat(r.toPing()).isEqualTo(cs.get(0));
    assertThat(table.replacements(2)).containsExactly(newcomer);
    // While that ping is under way, another newcomer does not start a second one.
    assertThat(table.seen(inBucket(2), T0).toPing()).isNull();
  }

  @Test
  void fullBucket_pingedByANewcomer_cachesIt_withoutAskingForAPing() {
    fillBucket(3);
    Contact pinger = inBucket(3);

    UpdateResult r = table.seenPing(pinger, T0);

    // A ping must not set off a ping: that is how chains of pings run through a network.
    assertThat(r.outcome()).isEqualTo(Outcome.CACHED);
    assertThat(r.toPing()).isNull();
    assertThat(table.replacements(3)).containsExactly(pinger);
  }

  @Test
  void fullBucket_whoseHeadIsFresh_cachesNewcomer_withoutAskingForAPing() {
    RoutingTable fresh = new RoutingTable(self, K, 2, 2, Duration.ofMinutes(5), T0);
    List<Contact> cs = new ArrayList<>();
    for (int i = 0; i < K; i++) {
      Contact c = inBucket(4);
      fresh.seen(c, T0);
      cs.add(c);
    }
    Contact newcomer = inBucket(4);

    UpdateResult r = fresh.seen(newcomer, T0.plus(Duration.ofMinutes(4)));

    assertThat(r.outcome()).isEqualTo(Outcome.CACHED);
    assertThat(r.toPing()).isNull();
    assertThat(fresh.replacements(4)).containsExactly(newcomer);
    // Once the head has not been heard from for the whole window, it is pinged again.
    assertThat(fresh.seen(inBucket(4), T0.plus(Duration.ofMinutes(5))).toPing()).isEqualTo(cs.get(0));
  }

  @Test
  void pingAnswered_keepsLeastRecentlySeen_movedToTail_newcomerStaysCached() {
    List<Contact> cs = fillBucket(2);
    Contact newcomer = inBucket(2);
    table.seen(newcomer, T0);
    table.pingAnswered(cs.get(0), T0);
    assertThat(table.bucket(2)).containsExactly(cs.get(1), cs.get(2), cs.get(0));
    assertThat(table.replacements(2)).containsExactly(newcomer);
    assertThat(removed).isEmpty();
  }

  @Test
  void pingFailed_evictsLeastRecentlySeen_andPromotesNewestReplacement() {
    List<Contact> cs = fillBucket(2);
    Contact older = inBucket(2);
    Contact newest = inBucket(2);
    table.seen(older, T0);
    table.seen(newest, T0);
    table.pingFailed(cs.get(0));
    assertThat(table.bucket(2)).containsExactly(cs.get(1), cs.get(2), newest);
    assertThat(table.replacements(2)).containsExactly(older);
    assertThat(removed).containsExactly(cs.get(0));
  }

  @Test
  void replacementCache_keepsTheMostRecentNewcomers() {
    fillBucket(1);
    Contact a = inBucket(1);
    Contact b = inBucket(1);
    Contact c = inBucket(1);
    table.seen(a, T0);
    table.seen(b, T0);
    table.seen(c, T0);
    assertThat(table.replacements(1)).containsExactly(b, c);
  }

  @Test
  void replacementCacheFull_dropsItsOldestNewcomer_withoutReportingItRemoved() {
    fillBucket(1);
    Contact a = inBucket(1);
    table.seen(a, T0);
    table.seen(inBucket(1), T0);
    table.seen(inBucket(1), T0);
    assertThat(table.replacements(1)).doesNotContain(a);
    assertThat(removed).as("a dropped newcomer failed nothing: not to be probed as lost").isEmpty();
  }

  @Test
  void repeatedFailures_dropContact_andPromoteFromCache_whileSuccessResetsTheCount() {
    List<Contact> cs = fillBucket(4);
    Contact spare = inBucket(4);
    table.seen(spare, T0);
    table.pingAnswered(cs.get(0), T0);

    table.failed(cs.get(1));
    table.seen(cs.get(1), T0);
    table.failed(cs.get(1));
    assertThat(table.bucket(4)).contains(cs.get(1));

    table.failed(cs.get(2));
    table.failed(cs.get(2));
    assertThat(table.bucket(4)).doesNotContain(cs.get(2)).contains(spare);
    assertThat(table.replacements(4)).isEmpty();
    assertThat(removed).containsExactly(cs.get(2));
    assertThat(table.size()).isEqualTo(K);
  }

  @Test
  void failuresWithoutReplacement_keepTheContactFlaggedStale() {
    List<Contact> cs = fillBucket(4);
    table.failed(cs.get(0));
    table.failed(cs.get(0));
    assertThat(table.bucket(4)).containsExactlyElementsOf(cs);
    assertThat(table.staleContacts()).containsExactly(cs.get(0));
    assertThat(table.liveSize()).isEqualTo(K - 1);
    assertThat(removed).isEmpty();
  }

  @Test
  void staleContact_givesWayToTheNextNewcomer_withoutAPing() {
    List<Contact> cs = fillBucket(4);
    table.failed(cs.get(1));
    table.failed(cs.get(1));
    Contact newcomer = inBucket(4);

    UpdateResult r = table.seen(newcomer, T0);

    assertThat(r.outcome()).isEqualTo(UpdateResult.Outcome.ADDED);
    assertThat(r.toPing()).isNull();
    assertThat(table.bucket(4)).containsExactly(cs.get(0), cs.get(2), newcomer);
    assertThat(removed).containsExactly(cs.get(1));
    assertThat(table.staleContacts()).isEmpty();
  }

  @Test
  void staleContact_thatAnswersAgain_isLiveAgain() {
    List<Contact> cs = fillBucket(4);
    table.failed(cs.get(0));
    table.failed(cs.get(0));

    table.seen(cs.get(0), T0);

    assertThat(table.staleContacts()).isEmpty();
    assertThat(table.liveSize()).isEqualTo(K);
  }

  @Test
  void closest_equalsBruteForceSort_forManyTargets() {
    RoutingTable big = new RoutingTable(self, 8, 0, 3, T0);
    List<Contact> all = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      Contact c = new Contact(NodeId.random(random), "h" + i + ":1");
      big.seen(c, T0);
    }
    all.addAll(big.contacts());
    for (int i = 0; i < 100; i++) {
      NodeId target = i % 10 == 0 ? self : i % 3 == 0 ? all.get(i % all.size()).id() : NodeId.random(random);
      int count = 1 + random.nextInt(30);
      List<Contact> expected = new ArrayList<>(all);
      expected.sort(Comparator.comparing(Contact::id, target::compareDistance));
      assertThat(big.closest(target, count))
          .containsExactlyElementsOf(expected.subList(0, Math.min(count, expected.size())));
    }
  }

  @Test
  void bucketsIdleSince_listsUntouchedBucketsUpToClosestNeighbour() {
    fillBucket(0);
    table.seen(inBucket(3), T0);
    Instant later = T0.plus(Duration.ofHours(2));
    table.touch(1, later.minusSeconds(60));
    assertThat(table.bucketsIdleSince(later, Duration.ofHours(1))).containsExactly(0, 2, 3);
    assertThat(table.highestNonEmptyBucket()).isEqualTo(3);
  }

  @Test
  void remove_evictsAndNotifies() {
    List<Contact> cs = fillBucket(7);
    table.remove(cs.get(1).id());
    assertThat(table.find(cs.get(1).id())).isNull();
    assertThat(removed).containsExactly(cs.get(1));
    assertThat(table.summaries()).singleElement().satisfies(s -> {
      assertThat(s.index()).isEqualTo(7);
      assertThat(s.contacts()).isEqualTo(2);
    });
  }

  @Test
  void views_listEveryContactByBucket_withItsLastAnswerAndFailures() {
    Contact far = inBucket(1);
    Contact near = inBucket(9);
    Contact failing = inBucket(9);
    table.seen(far, T0.plusSeconds(5));
    table.seen(near, T0.plusSeconds(7));
    table.seen(failing, T0.plusSeconds(8));
    table.failed(failing);
    table.failed(failing);

    assertThat(table.views()).containsExactly(
        new ContactView(far, 1, T0.plusSeconds(5), 0, false, false),
        new ContactView(near, 9, T0.plusSeconds(7), 0, false, false),
        // Two failures (the table's limit) with no replacement at hand: kept, flagged stale.
        new ContactView(failing, 9, T0.plusSeconds(8), 2, true, false));
  }

  @Test
  void views_ofAPromotedReplacement_knowNoLastAnswer() {
    List<Contact> cs = fillBucket(2);
    Contact newcomer = inBucket(2);
    table.seen(newcomer, T0);
    table.pingFailed(cs.get(0));

    assertThat(table.views()).filteredOn(v -> v.contact().equals(newcomer)).singleElement()
        .satisfies(v -> assertThat(v.lastSeen()).isNull());
    assertThat(table.views()).filteredOn(v -> !v.replacement()).hasSize(table.size());
  }
}
