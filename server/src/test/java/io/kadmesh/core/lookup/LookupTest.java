package io.kadmesh.core.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class LookupTest {
  private static final int K = 5;
  private static final int ALPHA = 2;
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(2);

  private final Random random = new Random(5);
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final NodeId self = NodeId.random(random);
  private final NodeId target = NodeId.random(random);
  private final List<Contact> world = new ArrayList<>();
  private final Set<NodeId> silent = new HashSet<>();
  private final Map<NodeId, ValueRecord> held = new HashMap<>();
  private final List<Contact> asked = new ArrayList<>();
  private final List<Contact> answered = new ArrayList<>();
  private final List<Contact> failed = new ArrayList<>();
  private final LookupObserver observer = new LookupObserver() {
    @Override
    public void answered(Contact c) {
      answered.add(c);
    }

    @Override
    public void failed(Contact c) {
      failed.add(c);
    }

    @Override
    public void finished(java.util.Collection<Contact> contacts) {
      finished.add(List.copyOf(contacts));
    }
  };
  private final List<List<Contact>> finished = new ArrayList<>();
  private final Lookup.Settings settings =
      new Lookup.Settings(K, ALPHA, RPC_TIMEOUT, scheduler, observer);

  LookupTest() {
    for (int i = 0; i < 40; i++) world.add(new Contact(NodeId.random(random), "n" + i + ":1"));
  }

  private List<Contact> closestInWorld(NodeId t, int n, Set<NodeId> excluded) {
    List<Contact> all = new ArrayList<>(world);
    all.removeIf(c -> excluded.contains(c.id()));
    all.sort(Comparator.comparing(Contact::id, t::compareDistance));
    return all.subList(0, Math.min(n, all.size()));
  }

  /**
   * Each peer knows the whole world but the silent peers (it dropped them) and answers 10 ms
   * later, unless it is silent itself.
   */
  private CompletableFuture<FoundValue> ask(Contact c, NodeId t) {
    asked.add(c);
    CompletableFuture<FoundValue> f = new CompletableFuture<>();
    if (silent.contains(c.id())) return f;
    scheduler.schedule(Duration.ofMillis(10), () -> {
      ValueRecord r = held.get(c.id());
      f.complete(r != null ? new FoundValue(r, List.of()) : new FoundValue(null, closestInWorld(t, K, silent)));
    });
    return f;
  }

  private Lookup findNode(List<Contact> seeds, Instant deadline) {
    return Lookup.findNode(settings, self, target, seeds,
        c -> ask(c, target).thenApply(FoundValue::closest), deadline);
  }

  private Instant in(Duration d) {
    return scheduler.now().plus(d);
  }

  @Test
  void findNode_endsWhenTheKClosestAnswered_andReturnsThem() throws Exception {
    CompletableFuture<LookupResult> result = findNode(world.subList(30, 33), in(Duration.ofSeconds(10))).start();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(result).isDone();
    assertThat(result.get().closest()).containsExactlyElementsOf(closestInWorld(target, K, Set.of()));
    assertThat(asked).hasSizeLessThan(world.size());
    assertThat(answered).containsExactlyInAnyOrderElementsOf(asked);
  }

  @Test
  void findNode_keepsAtMostAlphaRequestsInFlight() {
    world.forEach(c -> silent.add(c.id()));
    findNode(world.subList(0, 10), in(Duration.ofSeconds(10))).start();
    scheduler.runUntilIdle();
    assertThat(asked).hasSize(ALPHA);
  }

  @Test
  void unresponsivePeer_failsAfterRpcTimeout_andDoesNotStallTheLookup() throws Exception {
    Contact closest = closestInWorld(target, 1, Set.of()).get(0);
    silent.add(closest.id());
    CompletableFuture<LookupResult> result = findNode(List.of(closest, world.get(0)), in(Duration.ofSeconds(10))).start();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(result).isNotDone();
    scheduler.advance(RPC_TIMEOUT);
    assertThat(result).isDone();
    assertThat(failed).containsExactly(closest);
    assertThat(result.get().closest())
        .containsExactlyElementsOf(closestInWorld(target, K, Set.of(closest.id())));
  }

  @Test
  void failingPeers_areReportedAsFailures() throws Exception {
    Contact bad = world.get(3);
    Lookup lookup = Lookup.findNode(settings, self, target, List.of(bad, world.get(4)),
        c -> c.equals(bad) ? CompletableFuture.failedFuture(new RuntimeException("refused"))
            : ask(c, target).thenApply(FoundValue::closest), in(Duration.ofSeconds(10)));
    CompletableFuture<LookupResult> result = lookup.start();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(failed).containsExactly(bad);
    assertThat(result.get().closest()).doesNotContain(bad);
  }

  @Test
  void findValue_returnsNewestVersionAmongTheAnswers() throws Exception {
    List<Contact> holders = closestInWorld(target, 3, Set.of());
    NodeId writer = NodeId.random(random);
    Instant expires = in(Duration.ofHours(1));
    long[] seqs = {10, 30, 20};
    for (int i = 0; i < 3; i++) {
      held.put(holders.get(i).id(), ValueRecord.value(target, ("v" + seqs[i]).getBytes(),
          new Version(seqs[i], writer), expires));
    }
    Lookup lookup = Lookup.findValue(settings, self, target, world.subList(20, 23),
        c -> ask(c, target), 3, null, in(Duration.ofSeconds(10)));
    CompletableFuture<LookupResult> result = lookup.start();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(result.get().recordAnswers()).isEqualTo(3);
    assertThat(result.get().record()).hasValueSatisfying(r -> assertThat(r.version().sequence()).isEqualTo(30));
  }

  @Test
  void findValue_withNoRecordAnywhere_endsEmpty_withTheClosest() throws Exception {
    Lookup lookup = Lookup.findValue(settings, self, target, world.subList(0, 3),
        c -> ask(c, target), 2, null, in(Duration.ofSeconds(10)));
    CompletableFuture<LookupResult> result = lookup.start();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(result.get().record()).isEmpty();
    assertThat(result.get().closest()).containsExactlyElementsOf(closestInWorld(target, K, Set.of()));
  }

  /** The {@code n} closest contacts in the world hold a record of {@code target}. */
  private void holdTheRecord(int n) {
    Instant expires = in(Duration.ofHours(1));
    for (Contact c : closestInWorld(target, n, Set.of())) {
      held.put(c.id(), ValueRecord.value(target, "v".getBytes(), new Version(1, c.id()), expires));
    }
  }

  private CompletableFuture<LookupResult> findValue(List<Contact> seeds, int quorum,
      ValueRecord localAnswer) {
    return Lookup.findValue(settings, self, target, seeds, c -> ask(c, target), quorum,
        localAnswer, in(Duration.ofSeconds(10))).start();
  }

  @Test
  void findValue_whenTheClosestKnownHoldTheRecord_asksExactlyTheQuorum_notAlpha()
      throws Exception {
    holdTheRecord(K);
    CompletableFuture<LookupResult> result = findValue(closestInWorld(target, K, Set.of()), 2, null);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(result).isDone();
    assertThat(result.get().recordAnswers()).isEqualTo(2);
    assertThat(asked).containsExactlyElementsOf(closestInWorld(target, 2, Set.of()));
  }

  @Test
  void findValue_ofQuorum1_asksOneContact_andWithALocalAnswer_none() throws Exception {
    holdTheRecord(K);
    CompletableFuture<LookupResult> one = findValue(closestInWorld(target, K, Set.of()), 1, null);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(one).isDone();
    assertThat(one.get().record()).isPresent();
    assertThat(asked).hasSize(1);

    asked.clear();
    ValueRecord local = ValueRecord.value(target, "mine".getBytes(), new Version(1, self),
        in(Duration.ofHours(1)));
    CompletableFuture<LookupResult> two = findValue(closestInWorld(target, K, Set.of()), 2, local);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(two).isDone();
    assertThat(two.get().recordAnswers()).isEqualTo(2);
    assertThat(asked).hasSize(1);
  }

  @Test
  void findValue_whenAHolderAskedIsSilent_asksTheNextOnceItStalls() throws Exception {
    holdTheRecord(K);
    Contact closest = closestInWorld(target, 1, Set.of()).get(0);
    silent.add(closest.id());
    CompletableFuture<LookupResult> result = findValue(closestInWorld(target, K, Set.of()), 2, null);
    scheduler.advance(RPC_TIMEOUT.dividedBy(8));
    assertThat(asked).hasSize(2);
    assertThat(result).isNotDone();
    scheduler.advance(RPC_TIMEOUT.dividedBy(4));
    assertThat(result).isDone();
    assertThat(result.get().recordAnswers()).isEqualTo(2);
    assertThat(asked).hasSize(3).contains(closest);
  }

  @Test
  void findValue_onceAnAnswerCameWithoutTheRecord_routesAlphaAtATime() throws Exception {
    holdTheRecord(1);
    // Seeds far from the key: the first answers bring closer contacts, not the record.
    CompletableFuture<LookupResult> result = findValue(world.subList(20, 23), 1, null);
    scheduler.advance(Duration.ofMillis(5));
    assertThat(asked).hasSize(1);
    scheduler.advance(Duration.ofMillis(10));
    assertThat(asked).hasSize(1 + ALPHA);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(result).isDone();
    assertThat(result.get().record()).isPresent();
  }

  /** A set lookup whose peers answer like {@link #ask}, the holders in {@code held} with it. */
  private Lookup findSet(List<Contact> seeds, int quorum) {
    return Lookup.findSet(settings, self, target, seeds, c -> ask(c, target).thenApply(a -> {
      ValueRecord part = held.get(c.id());
      return new FoundValue(null, closestInWorld(target, K, silent),
          part == null ? List.of() : List.of(part));
    }), quorum, in(Duration.ofSeconds(10)));
  }

  private void holdPartOfTheSet(List<Contact> holders) {
    NodeId writer = NodeId.random(random);
    for (Contact c : holders) {
      held.put(c.id(), ValueRecord.value(target, new byte[] {1}, new Version(1, writer),
          in(Duration.ofHours(1))));
    }
  }

  @Test
  void findSet_whenTheClosestHoldTheSet_endsAtItsQuorumOfThem_beforeTheKClosestAnswered()
      throws Exception {
    List<Contact> closest = closestInWorld(target, K, Set.of());
    holdPartOfTheSet(closest);
    CompletableFuture<LookupResult> result = findSet(world.subList(30, 33), 2).start();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result).isDone();
    assertThat(result.get().closest()).startsWith(closest.get(0), closest.get(1));
    assertThat(asked).doesNotContain(closest.get(K - 1));
  }

  @Test
  void findSet_whenTheClosestAnswerWithoutTheSet_goesOnToTheQuorumOfHolders() throws Exception {
    List<Contact> closest = closestInWorld(target, K, Set.of());
    holdPartOfTheSet(closest.subList(2, K));
    CompletableFuture<LookupResult> result = findSet(world.subList(30, 33), 2).start();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result.get().closest()).startsWith(closest.subList(0, 4).toArray(Contact[]::new));
  }

  @Test
  void findSet_whenNobodyHoldsTheSet_endsAsFindNode_withTheKClosest() throws Exception {
    CompletableFuture<LookupResult> result = findSet(world.subList(30, 33), 2).start();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result.get().closest()).containsExactlyElementsOf(closestInWorld(target, K, Set.of()));
  }

  @Test
  void findSet_waitsForACloserContactInFlight_beforeCountingFartherHolders() {
    List<Contact> closest = closestInWorld(target, K, Set.of());
    holdPartOfTheSet(closest);
    silent.add(closest.get(0).id());
    CompletableFuture<LookupResult> result =
        findSet(List.of(closest.get(0), closest.get(1), closest.get(2)), 2).start();
    scheduler.advance(Duration.ofMillis(100));

    // The closest has not answered, and is not yet slow enough to be passed over.
    assertThat(result).isNotDone();
    scheduler.advance(RPC_TIMEOUT);
    assertThat(result).isDone();
  }

  @Test
  void deadlinePassing_failsTheLookupWithDeadlineExceeded() {
    world.forEach(c -> silent.add(c.id()));
    CompletableFuture<LookupResult> result = findNode(world.subList(0, 10), in(Duration.ofSeconds(3))).start();
    scheduler.advance(Duration.ofSeconds(3));
    assertThat(result).isCompletedExceptionally();
    ExecutionException e = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class, result::get);
    assertThat(e.getCause()).isInstanceOfSatisfying(DhtException.class,
        d -> assertThat(d.reason()).isEqualTo(DhtException.Reason.DEADLINE_EXCEEDED));
  }

  @Test
  void noSeeds_endsAtOnceWithNothing() throws Exception {
    CompletableFuture<LookupResult> result = findNode(List.of(), in(Duration.ofSeconds(3))).start();
    assertThat(result.get().closest()).isEmpty();
    assertThat(scheduler.pendingTasks()).isZero();
  }

  @Test
  void aFinishedLookup_tellsTheObserverEveryContactItAsked_andLateRequestsOneByOne() {
    CompletableFuture<LookupResult> result = findNode(world.subList(30, 33), in(Duration.ofSeconds(10))).start();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(result).isDone();
    assertThat(finished.get(0)).containsExactlyInAnyOrderElementsOf(asked);
    // A request still in flight at the end is released again, alone, once it settled, so that its
    // channel does not outlive it.
    for (Collection<Contact> late : finished.subList(1, finished.size())) {
      assertThat(late).hasSize(1);
      assertThat(asked).containsAll(late);
    }
  }

  @Test
  void aLookupPastItsDeadline_stillTellsTheObserverWhomItAsked() {
    world.forEach(c -> silent.add(c.id()));
    CompletableFuture<LookupResult> result = findNode(world.subList(0, 4), in(Duration.ofSeconds(1))).start();
    scheduler.advance(Duration.ofSeconds(2));

    assertThat(result).isCompletedExceptionally();
    assertThat(finished).hasSize(1);
    assertThat(finished.get(0)).containsExactlyInAnyOrderElementsOf(asked);
  }
}
