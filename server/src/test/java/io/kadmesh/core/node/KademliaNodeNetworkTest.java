package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.sim.InMemoryNetwork.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KademliaNodeNetworkTest {
  private static final int N = 50;
  private static final NodeConfig CONFIG = NodeConfig.builder().k(10).build();
  private Cluster cluster;

  @BeforeAll
  void joinFiftyNodesThroughOneBootstrap() {
    cluster = Cluster.started(N, CONFIG, 42);
  }

  private KademliaNode node(int i) {
    return cluster.nodes.get(i);
  }

  @Test
  void join_throughOneBootstrap_joinsEveryNode_andFillsRoutingTables() {
    for (KademliaNode n : cluster.nodes) {
      assertThat(n.isJoined()).as("%s joined", n.self()).isTrue();
      assertThat(n.contacts()).as("%s contacts", n.self()).hasSizeGreaterThanOrEqualTo(CONFIG.k());
      assertThat(n.contacts()).extracting(c -> c.id()).doesNotContain(n.self().id());
      assertThat(n.bucketStats()).isNotEmpty();
    }
  }

  @Test
  void join_givesEachNodeItsTrueClosestNeighbours() {
    for (KademliaNode n : cluster.nodes) {
      List<KademliaNode> others = new ArrayList<>(cluster.nodes);
      others.remove(n);
      others.sort(Comparator.comparing(o -> o.self().id(), n.self().id()::compareDistance));
      assertThat(n.contacts()).contains(others.get(0).self());
    }
  }

  @Test
  void put_throughOneNode_isReadThroughOthers() {
    NodeId key = NodeId.ofKey("greeting");
    WriteResult w = cluster.await(node(5).put(key, "hello".getBytes(), null, null));
    assertThat(w.replicas()).isEqualTo(CONFIG.k());
    for (int reader : new int[] {0, 17, 33, 49}) {
      Optional<ValueRecord> got = cluster.await(node(reader).get(key, null));
      assertThat(got).as("read via %d", reader).hasValueSatisfying(r -> {
        assertThat(r.value()).isEqualTo("hello".getBytes());
        assertThat(r.version()).isEqualTo(w.version());
      });
    }
  }

  @Test
  void put_storesOnTheKClosestNodes() {
    NodeId key = NodeId.ofKey("placement");
    cluster.await(node(8).put(key, "x".getBytes(), null, null));
    List<KademliaNode> byDistance = new ArrayList<>(cluster.nodes);
    byDistance.sort(Comparator.comparing(n -> n.self().id(), key::compareDistance));
    for (KademliaNode holder : byDistance.subList(0, CONFIG.k())) {
      assertThat(holder.store().get(key, cluster.scheduler.now())).as("%s", holder.self()).isPresent();
    }
  }

  @Test
  void laterPut_winsOverEarlierOne_fromAnotherNode() {
    NodeId key = NodeId.ofKey("counter");
    cluster.await(node(1).put(key, "one".getBytes(), null, null));
    cluster.scheduler.advance(Duration.ofMillis(1));
    cluster.await(node(2).put(key, "two".getBytes(), null, null));
    assertThat(cluster.await(node(3).get(key, null)).orElseThrow().value()).isEqualTo("two".getBytes());
  }

  @Test
  void delete_thenGet_findsTheTombstone() {
    NodeId key = NodeId.ofKey("doomed");
    cluster.await(node(10).put(key, "bye".getBytes(), null, null));
    WriteResult d = cluster.await(node(20).delete(key, null));
    assertThat(d.replicas()).isPositive();
    Optional<ValueRecord> got = cluster.await(node(30).get(key, null));
    assertThat(got).hasValueSatisfying(r -> {
      assertThat(r.isTombstone()).isTrue();
      assertThat(r.version()).isEqualTo(d.version());
    });
  }

  @Test
  void get_ofUnknownKey_isEmpty() {
    assertThat(cluster.await(node(7).get(NodeId.ofKey("never written"), null))).isEmpty();
  }

  @Test
  void keys_stayReadable_withTenNodesDown() {
    List<NodeId> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      NodeId key = NodeId.ofKey("durable-" + i);
      keys.add(key);
      cluster.await(node(i + 1).put(key, ("v" + i).getBytes(), null, null));
    }
    List<Integer> victims = new ArrayList<>();
    for (int i = 1; i < N; i++) victims.add(i);
    Collections.shuffle(victims, new java.util.Random(9));
    List<Integer> down = victims.subList(0, 10);
    int reader = victims.get(10);
    try {
      for (int i : down) cluster.network.down(node(i).self().address(), Failure.SILENT);
      for (int i = 0; i < keys.size(); i++) {
        Optional<ValueRecord> got = cluster.await(node(reader).get(keys.get(i), null));
        assertThat(got).as("key %d", i).hasValueSatisfying(
            r -> assertThat(r.value()).isEqualTo(("v" + keys.indexOf(r.key())).getBytes()));
      }
    } finally {
      for (int i : down) cluster.network.up(node(i).self().address());
    }
  }
}
