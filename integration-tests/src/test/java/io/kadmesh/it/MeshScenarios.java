package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kadmesh.client.Entry;
import io.kadmesh.core.NodeConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The multi-node scenarios of a 20-node mesh, written once and run over each {@link MeshTransport}
 * by a subclass.
 */
abstract class MeshScenarios {
  private static final int NODES = 20;
  private static final int KEYS = 200;

  private TestMesh mesh;
  private final Random random = new Random(42);

  abstract MeshTransport transport();

  @BeforeEach
  void startMesh() throws IOException {
    mesh = TestMesh.start(transport(), NODES, NodeConfig.defaults(), 7);
  }

  @AfterEach
  void stopMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void routingTables_afterJoining_holdEveryOtherNode() {
    // With k = 20 and 20 nodes, every bucket has room: each node ends up knowing all 19 others.
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (int i = 0; i < mesh.size(); i++) {
        assertThat(mesh.node(i).node().contacts()).as("contacts of node %d", i).hasSize(NODES - 1);
      }
    });
  }

  @Test
  void keysPutThroughRandomNodes_areReadBackThroughOtherNodes() {
    Map<String, Write> written = putKeys(KEYS);

    for (Map.Entry<String, Write> e : written.entrySet()) {
      int reader = randomNodeOtherThan(e.getValue().writer());
      Optional<Entry> read = mesh.client(reader).get(e.getKey());
      assertThat(read).as("key %s through node %d", e.getKey(), reader).isPresent();
      assertThat(read.get().valueAsString()).isEqualTo(e.getValue().value());
    }
  }

  @Test
  void delete_throughOneNode_isSeenThroughEveryNode() {
    mesh.client(3).put("doomed", "value");
    assertThat(mesh.client(11).get("doomed")).isPresent();

    assertThat(mesh.client(7).delete("doomed").replicas()).isPositive();

    for (int i = 0; i < mesh.size(); i++) {
      assertThat(mesh.client(i).get("doomed")).as("read through node %d", i).isEmpty();
    }
  }

  @Test
  void everyKey_withFiveNodesCrashed_isStillReadable() {
    Map<String, Write> written = putKeys(KEYS);
    List<Integer> victims = new ArrayList<>(mesh.runningNodes());
    Collections.shuffle(victims, random);
    victims.subList(0, 5).forEach(mesh::crash);

    for (Map.Entry<String, Write> e : written.entrySet()) {
      int reader = randomNodeOtherThan(e.getValue().writer());
      Optional<Entry> read = mesh.client(reader).get(e.getKey());
      assertThat(read).as("key %s through node %d", e.getKey(), reader).isPresent();
      assertThat(read.get().valueAsString()).isEqualTo(e.getValue().value());
    }
  }

  /** A value and the node it was put through. */
  private record Write(String value, int writer) {}

  private Map<String, Write> putKeys(int count) {
    Map<String, Write> written = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String key = "key-" + i;
      String value = "value-" + i + "-" + random.nextInt();
      int writer = randomNodeOtherThan(-1);
      assertThat(mesh.client(writer).put(key, value).replicas()).isPositive();
      written.put(key, new Write(value, writer));
    }
    return written;
  }

  /** A running node chosen at random, never {@code excluded}. */
  private int randomNodeOtherThan(int excluded) {
    List<Integer> candidates = new ArrayList<>(mesh.runningNodes());
    candidates.remove(Integer.valueOf(excluded));
    return candidates.get(random.nextInt(candidates.size()));
  }
}
