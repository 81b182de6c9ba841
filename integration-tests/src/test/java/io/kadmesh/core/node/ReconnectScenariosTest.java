package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.sim.InMemoryNetwork.Failure;
import io.kadmesh.testing.SimulatedMesh;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A mesh that never stays split, on a {@link SimulatedMesh} (virtual time, the fault-injecting
 * in-memory network) with nodes started as processes are ({@link KademliaNode#connect}): nodes killed soon after they
 * joined and a whole mesh restarted with no bootstrap; a partition longer than every timeout; a
 * node cut off from every peer. Each scenario prints one line for the team's notes.
 */
class ReconnectScenariosTest {
  private static final Duration REPUBLISH = Duration.ofSeconds(20);

  /** One acknowledged write: what a later read must return (or something newer). */
  private record Acked(Version version, String value) {}

  private static NodeConfig config(int k) {
    return NodeConfig.builder().k(k).republishInterval(REPUBLISH).build();
  }

  private static SimulatedMesh connected(int n, NodeConfig config, long seed) {
    return SimulatedMesh.builder().size(n).config(config).seed(seed).connecting().start();
  }

  @Test
  void nodesKilledSoonAfterJoining_thenTheWholeMeshRestartedWithoutBootstrap_everyKeyReadsThroughEveryNode() {
    SimulatedMesh c = connected(9, config(5), 11);
    Random rnd = new Random(12);
    Map<NodeId, Acked> acked = new LinkedHashMap<>();
    for (int i = 0; i < 300; i++) {
      put(c, randomLive(c, rnd), "key-" + i, "v" + i, acked);
    }
    List<Integer> early = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // The bootstrap is drawn once the newcomer is on the network: it may be the newcomer itself.
      int n = c.addUnjoined();
      c.node(n).start();
      c.node(n).connect(List.of(randomLive(c, rnd).self().address()));
      early.add(n);
    }
    c.advance(Duration.ofSeconds(3));
    early.forEach(c::crash);
    c.advance(Duration.ofSeconds(5));

    // Every node goes down at once and comes back from what it kept, with no bootstrap.
    List<Integer> before = IntStream.range(0, c.size()).boxed().toList();
    before.forEach(c::crash);
    Instant restart = c.now();
    List<KademliaNode> after = new ArrayList<>();
    for (int n : before) {
      after.add(c.node(c.restart(n)));
    }
    c.scheduler().runUntil(() -> after.stream().allMatch(n -> n.contacts().size() > 0), Duration.ofMinutes(5));
    Duration rejoin = Duration.between(restart, c.now());
    c.advance(Duration.ofSeconds(30));

    int unreadable = 0;
    for (Map.Entry<NodeId, Acked> e : acked.entrySet()) {
      for (KademliaNode reader : after) {
        if (!readsBack(c, reader, e.getKey(), e.getValue())) unreadable++;
      }
    }
    int minContacts = after.stream().mapToInt(n -> n.contacts().size()).min().orElse(0);
    System.out.println("scenario=restart nodes=" + after.size() + " keys=" + acked.size()
        + " unreadable_reads=" + unreadable + " every_node_has_a_contact_after=" + rejoin
        + " fewest_contacts=" + minContacts);
    assertThat(after).allMatch(KademliaNode::isServing);
    assertThat(unreadable).isZero();
  }

  @Test
  void churnOfKillsAndRestartsUnderWrites_losesNoAcknowledgedWrite_andReadsNoneStale() {
    SimulatedMesh c = connected(8, config(5), 41);
    Random rnd = new Random(42);
    Map<NodeId, Acked> latest = new LinkedHashMap<>();
    Instant end = c.now().plus(Duration.ofSeconds(100));
    Instant nextKill = c.now().plus(Duration.ofSeconds(12));
    Integer down = null;
    int puts = 0;
    int acked = 0;
    int restarts = 0;
    while (c.now().isBefore(end)) {
      if (!c.now().isBefore(nextKill)) {
        int victim = randomMember(c, rnd);
        c.crash(victim);
        down = victim;
        nextKill = nextKill.plus(Duration.ofSeconds(12));
      }
      if (down != null && c.now().isAfter(nextKill.minus(Duration.ofSeconds(10)))) {
        c.restart(down); // a process takes a moment to start again
        down = null;
        restarts++;
      }
      puts++;
      if (put(c, randomLive(c, rnd), "churn-" + rnd.nextInt(200), "w" + puts, latest)) acked++;
      c.advance(Duration.ofMillis(100));
    }
    int lost = 0;
    int stale = 0;
    for (Map.Entry<NodeId, Acked> e : latest.entrySet()) {
      for (int r = 0; r < 3; r++) {
        CompletableFuture<Optional<ValueRecord>> get = randomLive(c, rnd).get(e.getKey(), null);
        c.scheduler().runUntil(get::isDone, Duration.ofMinutes(1));
        Optional<ValueRecord> got = get.isCompletedExceptionally() ? Optional.empty() : get.join();
        if (got.isEmpty()) lost++;
        else if (e.getValue().version().isNewerThan(got.get().version())) stale++;
      }
    }
    System.out.println("scenario=churn nodes=8 k=5 restarts=" + restarts + " puts=" + puts
        + " acknowledged=" + acked + " keys=" + latest.size() + " lost_reads=" + lost
        + " stale_reads=" + stale);
    assertThat(lost).isZero();
    assertThat(stale).isZero();
  }

  @Test
  void partitionLongerThanEveryTimeout_healsOnceTheLinkIsBack_andTheNewestVersionWinsEverywhere() {
    SimulatedMesh c = connected(6, config(3), 21);
    Random rnd = new Random(22);
    List<KademliaNode> all = c.running().stream().map(c::node).toList();
    List<KademliaNode> sideA = all.subList(0, 3);
    List<KademliaNode> sideB = all.subList(3, 6);
    Map<NodeId, Acked> latest = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      put(c, all.get(rnd.nextInt(all.size())), "before-" + i, "before" + i, latest);
    }

    Duration split = Duration.ofMinutes(2);
    c.network().partition(addresses(sideA), addresses(sideB));
    Instant end = c.now().plus(split);
    int[] writes = new int[2];
    int round = 0;
    while (c.now().isBefore(end)) {
      for (int side = 0; side < 2; side++) {
        List<KademliaNode> nodes = side == 0 ? sideA : sideB;
        KademliaNode via = nodes.get(rnd.nextInt(nodes.size()));
        String key = round % 2 == 0 ? "side" + side + "-" + round : "before-" + rnd.nextInt(20);
        if (put(c, via, key, "side" + side + "/" + round, latest)) writes[side]++;
      }
      round++;
      c.advance(Duration.ofSeconds(5));
    }

    c.network().heal();
    Instant healed = c.now();
    Instant limit = healed.plus(REPUBLISH.multipliedBy(2));
    Duration converged = null;
    while (!c.now().isAfter(limit)) {
      if (everyReplicaNewest(c, latest) && tablesSpanBothSides(sideA, sideB)) {
        converged = Duration.between(healed, c.now());
        break;
      }
      c.advance(Duration.ofSeconds(1));
    }
    int stale = 0;
    int lost = 0;
    for (Map.Entry<NodeId, Acked> e : latest.entrySet()) {
      for (KademliaNode reader : all) {
        Optional<ValueRecord> got = c.await(reader.get(e.getKey(), null));
        if (got.isEmpty()) lost++;
        else if (e.getValue().version().isNewerThan(got.get().version())) stale++;
      }
    }
    System.out.println("scenario=partition split=" + split + " writes_side_a=" + writes[0]
        + " writes_side_b=" + writes[1] + " keys=" + latest.size() + " lost_reads=" + lost
        + " stale_reads=" + stale + " converged_after=" + converged);
    assertThat(converged).as("converged within two republish periods").isNotNull();
    assertThat(lost).isZero();
    assertThat(stale).isZero();
  }

  @Test
  void nodeCutOffFromEveryPeer_isNotServing_refusesWritesAndUnanswerableGets_untilPeersAreBack() {
    SimulatedMesh c = connected(4, config(3), 31);
    KademliaNode lone = c.node(3);
    NodeId held = NodeId.ofKey("held");
    c.await(lone.put(held, "v".getBytes(), null, null));
    List<Integer> others = List.of(0, 1, 2);
    others.forEach(n -> c.network().down(c.address(n), Failure.SILENT));

    // Nobody said the key is absent: never a NOT_FOUND, whether or not the node knows yet.
    for (int i = 0; i < 3; i++) {
      assertThat(reasonOf(lone.get(NodeId.ofKey("other-" + i), null), c))
          .isEqualTo(DhtException.Reason.UNAVAILABLE);
    }
    c.scheduler().runUntil(() -> !lone.isServing(), Duration.ofMinutes(1));
    assertThat(lone.isServing()).isFalse();
    assertThat(reasonOf(lone.put(NodeId.ofKey("new"), "v".getBytes(), null, null), c))
        .isEqualTo(DhtException.Reason.UNAVAILABLE);
    // What it holds itself it still answers.
    assertThat(c.await(lone.get(held, null))).isPresent();

    others.forEach(n -> c.network().up(c.address(n)));
    c.scheduler().runUntil(lone::isServing, Duration.ofMinutes(1));
    assertThat(lone.isServing()).isTrue();
    assertThat(c.await(lone.put(NodeId.ofKey("new"), "v".getBytes(), null, null)).replicas())
        .isGreaterThanOrEqualTo(2);
  }

  private static DhtException.Reason reasonOf(CompletableFuture<?> f, SimulatedMesh c) {
    c.scheduler().runUntil(f::isDone, Duration.ofMinutes(1));
    Throwable t = catchThrowable(f::join);
    assertThat(t).isInstanceOf(CompletionException.class);
    assertThat(t.getCause()).isInstanceOf(DhtException.class);
    return ((DhtException) t.getCause()).reason();
  }

  private static boolean put(SimulatedMesh c, KademliaNode via, String key, String value,
      Map<NodeId, Acked> latest) {
    NodeId id = NodeId.ofKey(key);
    CompletableFuture<WriteResult> put = via.put(id, value.getBytes(), null, null);
    c.scheduler().runUntil(put::isDone, Duration.ofMinutes(1));
    if (put.isCompletedExceptionally()) return false; // not acknowledged: nothing is owed for it
    WriteResult w = put.join();
    latest.merge(id, new Acked(w.version(), value),
        (old, now) -> now.version().isNewerThan(old.version()) ? now : old);
    return true;
  }

  private static boolean readsBack(SimulatedMesh c, KademliaNode reader, NodeId key, Acked acked) {
    CompletableFuture<Optional<ValueRecord>> get = reader.get(key, null);
    c.scheduler().runUntil(get::isDone, Duration.ofMinutes(1));
    if (get.isCompletedExceptionally()) return false;
    Optional<ValueRecord> got = get.join();
    return got.isPresent() && !acked.version().isNewerThan(got.get().version());
  }

  /** Every live node among the k closest to each key holds its newest acknowledged version. */
  private static boolean everyReplicaNewest(SimulatedMesh c, Map<NodeId, Acked> latest) {
    for (Map.Entry<NodeId, Acked> e : latest.entrySet()) {
      for (int n : c.closestRunning(e.getKey())) {
        if (!c.holds(n, e.getKey(), e.getValue().version())) return false;
      }
    }
    return true;
  }

  /** Every node knows a live contact on the other side again. */
  private static boolean tablesSpanBothSides(List<KademliaNode> a, List<KademliaNode> b) {
    return knowsLiveOneOf(a, b) && knowsLiveOneOf(b, a);
  }

  private static boolean knowsLiveOneOf(List<KademliaNode> nodes, List<KademliaNode> others) {
    for (KademliaNode n : nodes) {
      List<io.kadmesh.core.Contact> live = new ArrayList<>(n.contacts());
      live.removeAll(n.routingTable().staleContacts());
      if (others.stream().noneMatch(o -> live.contains(o.self()))) return false;
    }
    return true;
  }

  private static KademliaNode randomLive(SimulatedMesh c, Random rnd) {
    return c.node(randomMember(c, rnd));
  }

  /** A running member drawn with the test's own {@code rnd}. */
  private static int randomMember(SimulatedMesh c, Random rnd) {
    List<Integer> running = c.running();
    return running.get(rnd.nextInt(running.size()));
  }

  private static Set<String> addresses(List<KademliaNode> nodes) {
    Set<String> out = new HashSet<>();
    for (KademliaNode n : nodes) out.add(n.self().address());
    return out;
  }
}
