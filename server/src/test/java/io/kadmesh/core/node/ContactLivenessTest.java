package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Claims checked before they are believed (go-libp2p-kad-dht's lookupCheck), on virtual time. */
class ContactLivenessTest {
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(1);
  private final Random random = new Random(4);
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final NodeId self = NodeId.random(random);
  private final RoutingTable table = new RoutingTable(self, 20, 5, 2, scheduler.now());
  private final FakeTransport transport = new FakeTransport();
  private final List<Contact> added = new ArrayList<>();
  private final ContactLiveness liveness = new ContactLiveness(table, transport, scheduler,
      RPC_TIMEOUT, added::add, c -> {});

  private Contact someone() {
    return new Contact(NodeId.random(random), "10.0." + random.nextInt(250) + ".1:" + (1 + random.nextInt(60000)));
  }

  @Test
  void aClaimAnsweredWithTheSameId_isAdmitted_onePingLater() {
    Contact peer = someone();
    transport.answering.put(peer.address(), peer);

    liveness.claimed(peer, false);
    assertThat(table.contacts()).isEmpty();
    scheduler.advance(RPC_TIMEOUT.multipliedBy(2));

    assertThat(table.contacts()).containsExactly(peer);
    assertThat(added).containsExactly(peer);
  }

  @Test
  void aClaimAtAnAddressWhereAnotherIdAnswers_isNotAdmitted() {
    Contact claim = someone();
    transport.answering.put(claim.address(), new Contact(NodeId.random(random), claim.address()));

    liveness.claimed(claim, true);
    scheduler.advance(RPC_TIMEOUT.multipliedBy(2));

    assertThat(table.contacts()).isEmpty();
    assertThat(transport.forgotten).contains(claim.address());
  }

  @Test
  void aDeadClaim_isCheckedOnce_andAgainOnlyAfterAPauseThatDoubles() {
    Contact dead = someone();

    liveness.claimed(dead, false);
    liveness.claimed(dead, false);
    scheduler.advance(Duration.ofMillis(500));
    liveness.claimed(dead, false);
    assertThat(transport.pings).as("one check at a time, none in the first pause").isEqualTo(1);

    scheduler.advance(Duration.ofSeconds(1)); // the first pause, 1 s, is over
    liveness.claimed(dead, false);
    assertThat(transport.pings).isEqualTo(2);
    scheduler.advance(Duration.ofSeconds(1)); // within the second, 2 s
    liveness.claimed(dead, false);
    assertThat(transport.pings).isEqualTo(2);
    scheduler.advance(Duration.ofMillis(1500));
    liveness.claimed(dead, false);
    assertThat(transport.pings).isEqualTo(3);
    assertThat(table.contacts()).isEmpty();
  }

  @Test
  void aClaimWhoseCheckFailedOnce_isAdmittedSoonOnceItAnswers() {
    Contact slow = someone();
    liveness.claimed(slow, false); // not answering yet: still starting, or a busy machine
    scheduler.advance(RPC_TIMEOUT);
    transport.answering.put(slow.address(), slow);

    scheduler.advance(ContactLiveness.FIRST_RECHECK);
    liveness.claimed(slow, false);
    scheduler.advance(RPC_TIMEOUT);

    assertThat(table.contacts()).containsExactly(slow);
  }

  @Test
  void claimsOfFreshIdsAtADeadAddress_pingItAtMostOncePerRecheckPause_onceThePausesHaveGrown() {
    String victim = "10.9.9.9:7000";
    List<Duration> pingedAt = new ArrayList<>();
    java.time.Instant start = scheduler.now();
    for (int i = 0; i < 3000; i++) { // a claim every 100 ms for 5 minutes
      int before = transport.pings;
      liveness.claimed(new Contact(NodeId.random(random), victim), false);
      if (transport.pings > before) pingedAt.add(Duration.between(start, scheduler.now()));
      scheduler.advance(Duration.ofMillis(100));
    }

    // 1, 2, 4, 8 and 16 s apart, then 30 s: 6 pings in the first 31 s and one per 30 s after.
    assertThat(transport.pings).isBetween(14, 16);
    for (int i = 6; i < pingedAt.size(); i++) {
      assertThat(pingedAt.get(i).minus(pingedAt.get(i - 1)))
          .isGreaterThanOrEqualTo(ContactLiveness.RECHECK_AFTER);
    }
  }

  @Test
  void anAddressWhereAnotherIdAnswered_isStillCheckedForThatId() {
    Contact live = someone();
    transport.answering.put(live.address(), live);
    liveness.claimed(new Contact(NodeId.random(random), live.address()), false);
    scheduler.advance(RPC_TIMEOUT);

    liveness.claimed(live, false);
    scheduler.advance(RPC_TIMEOUT);

    assertThat(table.contacts()).containsExactly(live);
  }

  @Test
  void aPingAnswerClaimingAnotherAddress_putsTheContactWhereItWasReached() {
    Contact liar = new Contact(NodeId.random(random), "10.66.6.6:7000"); // a victim's address

    liveness.reached("10.1.1.1:7000", liar);

    assertThat(table.contacts()).containsExactly(new Contact(liar.id(), "10.1.1.1:7000"));
  }

  @Test
  void aFloodOfClaims_costsABoundedNumberOfPendingPings() {
    transport.silent = true;
    for (int i = 0; i < 1000; i++) {
      liveness.claimed(someone(), false);
    }

    assertThat(transport.pings).isEqualTo(ContactLiveness.MAX_PENDING_CHECKS);
  }

  @Test
  void aKnownContactClaimingItsOwnAddress_isRefreshedWithoutAPing() {
    Contact peer = someone();
    liveness.seen(peer);

    liveness.claimed(peer, false);

    assertThat(transport.pings).isZero();
  }

  @Test
  void aKnownIdVerifiedAtANewAddress_movesThereOnlyOnceTheOldAddressStopsAnswering() {
    Contact peer = someone();
    liveness.seen(peer);
    Contact moved = new Contact(peer.id(), "10.200.0.1:7000");
    transport.answering.put(peer.address(), peer);
    transport.answering.put(moved.address(), moved);

    liveness.claimed(moved, false);
    scheduler.advance(RPC_TIMEOUT.multipliedBy(2));
    assertThat(table.find(peer.id())).isEqualTo(peer);

    transport.answering.remove(peer.address());
    scheduler.advance(ContactLiveness.RECHECK_AFTER);
    liveness.claimed(moved, false);
    scheduler.advance(RPC_TIMEOUT.multipliedBy(2));
    assertThat(table.find(peer.id())).isEqualTo(moved);
  }

  @Test
  void aCheckedSenderThatAFullCacheDropped_isBelievedAgainWithoutAPing_untilTheWindowEnds() {
    // One place in the bucket and one in its cache: three senders of the far bucket take turns.
    RoutingTable small = new RoutingTable(self, 1, 1, 2, Duration.ofMinutes(5), scheduler.now());
    ContactLiveness smallLiveness = new ContactLiveness(small, transport, scheduler, RPC_TIMEOUT,
        c -> {}, c -> {});
    List<Contact> far = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Contact c = new Contact(self.randomWithPrefix(0, random), "10.1." + i + ".1:7000");
      transport.answering.put(c.address(), c);
      far.add(c);
      smallLiveness.claimed(c, false);
      scheduler.advance(RPC_TIMEOUT.multipliedBy(2));
    }
    assertThat(transport.pings).as("each checked once").isEqualTo(3);
    Contact dropped = far.get(1); // cached after the first, then pushed out by the third
    assertThat(small.find(dropped.id())).isNull();

    smallLiveness.claimed(dropped, false);
    scheduler.advance(RPC_TIMEOUT.multipliedBy(2));
    assertThat(transport.pings).as("checked within the window: no second ping").isEqualTo(3);

    scheduler.advance(ContactLiveness.VERIFIED_FOR);
    Contact pushedOut = far.get(2); // the repeated claim cached the dropped one again
    smallLiveness.claimed(pushedOut, false);
    scheduler.advance(RPC_TIMEOUT.multipliedBy(2));
    // (and the bucket's head, no longer heard from within the window, is pinged too)
    assertThat(transport.pings).as("after the window a claim is checked again").isGreaterThan(3);
  }

  @Test
  void aFinishedLookup_releasesTheChannelsOfContactsTheTableDoesNotHold() {
    Contact held = someone();
    Contact stranger = someone();
    liveness.seen(held);

    liveness.finished(List.of(held, stranger));

    assertThat(transport.forgotten).containsExactly(stranger.address());
  }

  /** Answers pings at the addresses it was given, fails the others (or never, silent), 10 ms later. */
  private final class FakeTransport implements PeerTransport {
    final Map<String, Contact> answering = new HashMap<>();
    final List<String> forgotten = new ArrayList<>();
    boolean silent;
    int pings;

    @Override
    public CompletableFuture<Contact> ping(String address) {
      pings++;
      if (silent) return new CompletableFuture<>();
      Contact c = answering.get(address);
      CompletableFuture<Contact> answer = new CompletableFuture<>();
      scheduler.schedule(Duration.ofMillis(10), () -> {
        if (c == null) {
          answer.completeExceptionally(new RuntimeException("refused"));
        } else {
          answer.complete(c);
        }
      });
      return answer;
    }

    @Override
    public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<StoreResult> store(Contact to, ValueRecord record) {
      return new CompletableFuture<>();
    }

    @Override
    public void forget(String address) {
      forgotten.add(address);
    }
  }
}
