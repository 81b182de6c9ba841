package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.sim.InMemoryNetwork.Failure;
import io.kadmesh.testing.Found;
import io.kadmesh.testing.SimulatedMesh;
import io.kadmesh.testing.WriteAck;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Fifty nodes joined through one bootstrap, on virtual time: what the join builds, and what only
 * the in-memory network can do (nodes silent for a while, then back). The scenarios every mesh
 * shares are in {@code io.kadmesh.it.MeshScenarios}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KademliaNodeNetworkTest {
  private static final int N = 50;
  private static final NodeConfig CONFIG = NodeConfig.builder().k(10).build();
  private SimulatedMesh mesh;

  @BeforeAll
  void joinFiftyNodesThroughOneBootstrap() {
    mesh = SimulatedMesh.builder().size(N).config(CONFIG).seed(42).start();
  }

  @AfterAll
  void closeMesh() {
    mesh.close();
  }

  @Test
  void join_throughOneBootstrap_joinsEveryNode_andFillsRoutingTables() {
    for (int i = 0; i < N; i++) {
      KademliaNode n = mesh.node(i);
      assertThat(n.isJoined()).as("%s joined", n.self()).isTrue();
      assertThat(n.contacts()).as("%s contacts", n.self()).hasSizeGreaterThanOrEqualTo(CONFIG.k());
      assertThat(n.contacts()).extracting(c -> c.id()).doesNotContain(n.self().id());
      assertThat(n.bucketStats()).isNotEmpty();
    }
  }

  @Test
  void join_throughOneBootstrap_givesEachNodeItsTrueClosestNeighbour() {
    for (int i = 0; i < N; i++) {
      KademliaNode n = mesh.node(i);
      List<KademliaNode> others = new ArrayList<>();
      for (int j = 0; j < N; j++) {
        if (j != i) others.add(mesh.node(j));
      }
      others.sort(Comparator.comparing(o -> o.self().id(), n.self().id()::compareDistance));
      assertThat(n.contacts()).contains(others.get(0).self());
    }
  }

  @Test
  void get_afterADelete_findsTheTombstoneWithItsVersion() {
    mesh.put(10, "doomed", "bye");
    WriteAck d = mesh.delete(20, "doomed");
    assertThat(d.replicas()).isPositive();
    Optional<ValueRecord> got = mesh.await(mesh.node(30).get(NodeId.ofKey("doomed"), null));
    assertThat(got).hasValueSatisfying(r -> {
      assertThat(r.isTombstone()).isTrue();
      assertThat(r.version()).isEqualTo(d.version());
    });
  }

  @Test
  void keys_withTenNodesSilent_stayReadable() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String key = "durable-" + i;
      keys.add(key);
      mesh.put(i + 1, key, "v" + i);
    }
    List<Integer> victims = new ArrayList<>();
    for (int i = 1; i < N; i++) victims.add(i);
    Collections.shuffle(victims, new Random(9));
    List<Integer> down = victims.subList(0, 10);
    int reader = victims.get(10);
    try {
      for (int i : down) mesh.network().down(mesh.address(i), Failure.SILENT);
      for (int i = 0; i < keys.size(); i++) {
        assertThat(mesh.get(reader, keys.get(i))).as("key %d", i)
            .map(Found::valueAsString).hasValue("v" + i);
      }
    } finally {
      for (int i : down) mesh.network().up(mesh.address(i));
    }
  }
}
