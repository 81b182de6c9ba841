package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.DhtException.Reason;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.testing.Found;
import io.kadmesh.testing.Mesh;
import io.kadmesh.testing.MeshBuilder;
import io.kadmesh.testing.WriteAck;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The multi-node scenarios, written once against {@link Mesh} and run by a subclass on each
 * implementation: simulated on virtual time, in-process gRPC, Netty on loopback. Each test starts
 * a mesh of its own (seed 7, so the same node IDs on every mesh) and closes it after.
 */
abstract class MeshScenarios {
  private static final int NODES = 20;
  private static final int KEYS = 200;
  private static final long SEED = 7;
  /** Fewer replicas than nodes, so that where a record lands says something. */
  private static final NodeConfig K8 = NodeConfig.builder().k(8).build();
  private static final Duration SETTLE = Duration.ofSeconds(20);

  private final Random random = new Random(42);
  private Mesh mesh;

  /** A builder of this subclass's mesh; the scenarios set its size, config and seed. */
  abstract MeshBuilder<?, ?> meshBuilder();

  private Mesh start(int size, NodeConfig config) {
    mesh = meshBuilder().size(size).config(config).seed(SEED).start();
    return mesh;
  }

  @AfterEach
  void closeMesh() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void routingTables_afterJoining_holdEveryOtherNode() {
    // With k = 20 and 20 nodes, every bucket has room: each node ends up knowing all 19 others.
    start(NODES, NodeConfig.defaults());
    mesh.awaitUntil(() -> mesh.running().stream()
        .allMatch(i -> mesh.node(i).contacts().size() == NODES - 1), SETTLE);
    for (int i = 0; i < mesh.size(); i++) {
      assertThat(mesh.node(i).contacts()).as("contacts of node %d", i).hasSize(NODES - 1);
    }
  }

  @Test
  void keys_putThroughRandomNodes_areReadBackThroughOtherNodes() {
    start(NODES, NodeConfig.defaults());
    Map<String, Write> written = putKeys(KEYS);

    assertEveryKeyReadable(written);
  }

  @Test
  void put_throughOneNode_isReadThroughOthersWithItsVersion() {
    start(NODES, K8);
    WriteAck w = mesh.put(5, "greeting", "hello");
    assertThat(w.replicas()).isEqualTo(K8.k());
    for (int reader : new int[] {0, 9, 13, 19}) {
      Optional<Found> got = mesh.get(reader, "greeting");
      assertThat(got).as("read via %d", reader).hasValueSatisfying(f -> {
        assertThat(f.valueAsString()).isEqualTo("hello");
        assertThat(f.version()).isEqualTo(w.version());
      });
    }
  }

  @Test
  void put_throughAnyNode_storesOnTheKClosestNodes() {
    start(NODES, K8);
    WriteAck w = mesh.put(8, "placement", "x");
    NodeId key = NodeId.ofKey("placement");
    List<Integer> closest = mesh.closestRunning(key);
    // The put is acknowledged at its write quorum; the last replicas may still be storing.
    mesh.awaitUntil(() -> closest.stream().allMatch(i -> mesh.holds(i, key, w.version())), SETTLE);
    assertThat(closest).hasSize(K8.k()).allMatch(i -> mesh.holds(i, key, w.version()));
  }

  @Test
  void put_laterFromAnotherNode_winsOverTheEarlierOne() {
    start(NODES, K8);
    WriteAck first = mesh.put(1, "counter", "one");
    Instant after = mesh.now().plusMillis(1);
    mesh.awaitUntil(() -> mesh.now().isAfter(after), Duration.ofSeconds(1));
    WriteAck second = mesh.put(2, "counter", "two");

    assertThat(second.version().isNewerThan(first.version())).isTrue();
    assertThat(mesh.get(3, "counter")).map(Found::valueAsString).hasValue("two");
  }

  @Test
  void get_ofAKeyNeverWritten_isEmpty() {
    start(NODES, K8);
    assertThat(mesh.get(7, "never written")).isEmpty();
  }

  @Test
  void delete_throughOneNode_isSeenThroughEveryNode() {
    start(NODES, NodeConfig.defaults());
    mesh.put(3, "doomed", "value");
    assertThat(mesh.get(11, "doomed")).isPresent();

    assertThat(mesh.delete(7, "doomed").replicas()).isPositive();

    for (int i = 0; i < mesh.size(); i++) {
      assertThat(mesh.get(i, "doomed")).as("read through node %d", i).isEmpty();
    }
  }

  @Test
  void everyKey_withFiveNodesCrashed_isStillReadable() {
    start(NODES, NodeConfig.defaults());
    Map<String, Write> written = putKeys(KEYS);
    List<Integer> victims = new ArrayList<>(mesh.running());
    Collections.shuffle(victims, random);
    victims.subList(0, 5).forEach(mesh::crash);

    assertEveryKeyReadable(written);
  }

  @Test
  void stop_ofOneNode_leavesEachOfItsKeysOnTheKClosestRunningNodes() {
    // Republish is an hour away: only the leaver's hand-off can have placed the new copies.
    start(NODES, K8);
    Map<String, Write> written = putKeys(60);
    int leaver = 3;
    Map<NodeId, Version> itsKeys = new LinkedHashMap<>();
    mesh.node(leaver).store().forEach(mesh.now(), r -> itsKeys.put(r.key(), r.version()));
    assertThat(itsKeys).as("the leaver holds records").isNotEmpty();

    mesh.stop(leaver);

    mesh.awaitUntil(() -> itsKeys.entrySet().stream().allMatch(e -> mesh.closestRunning(e.getKey())
        .stream().allMatch(i -> mesh.holds(i, e.getKey(), e.getValue()))), SETTLE);
    assertEveryKeyReadable(written);
  }

  @Test
  void add_ofANewcomer_isHandedRecords_andReadsEveryKey() {
    start(NODES, K8);
    Map<String, Write> written = putKeys(60);
    int newcomer = mesh.add();

    // Only holders that learned of the newcomer hand records to it (HandOff): some, not all.
    mesh.awaitUntil(() -> mesh.node(newcomer).store().recordCount() > 0, SETTLE);
    for (String key : written.keySet()) {
      assertThat(mesh.get(newcomer, key)).as("key %s through the newcomer", key)
          .map(Found::valueAsString).hasValue(written.get(key).value());
    }
  }

  @Test
  void put_ofAValueOverTheLimit_failsResourceExhausted_namingTheLimit() {
    start(3, NodeConfig.builder().maxValueBytes(16).build());
    Throwable t = catchThrowable(() -> mesh.put(1, "big", new byte[17]));
    assertThat(t).isInstanceOfSatisfying(DhtException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.RESOURCE_EXHAUSTED);
      assertThat(e).hasMessageContaining("value").hasMessageContaining("16");
    });
  }

  @Test
  void put_withATtlOverTheMaximumOrAnEmptyKey_failsInvalidArgument() {
    start(3, NodeConfig.builder().maxTtl(Duration.ofHours(2)).defaultTtl(Duration.ofHours(1)).build());
    assertThat(catchThrowable(() -> mesh.put(1, "k", new byte[1], Duration.ofHours(3))))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    assertThat(catchThrowable(() -> mesh.put(2, "", new byte[1])))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
  }

  /** A value and the node it was put through. */
  private record Write(String value, int writer) {}

  private Map<String, Write> putKeys(int count) {
    Map<String, Write> written = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      String key = "key-" + i;
      String value = "value-" + i + "-" + random.nextInt();
      int writer = randomNodeOtherThan(-1);
      assertThat(mesh.put(writer, key, value).replicas()).isPositive();
      written.put(key, new Write(value, writer));
    }
    return written;
  }

  private void assertEveryKeyReadable(Map<String, Write> written) {
    for (Map.Entry<String, Write> e : written.entrySet()) {
      int reader = randomNodeOtherThan(e.getValue().writer());
      Optional<Found> read = mesh.get(reader, e.getKey());
      assertThat(read).as("key %s through node %d", e.getKey(), reader).isPresent();
      assertThat(read.get().valueAsString()).isEqualTo(e.getValue().value());
    }
  }

  /** A running node chosen at random, never {@code excluded}. */
  private int randomNodeOtherThan(int excluded) {
    List<Integer> candidates = new ArrayList<>(mesh.running());
    candidates.remove(Integer.valueOf(excluded));
    return candidates.get(random.nextInt(candidates.size()));
  }

  @Test
  void endpointsOfTwoAnnouncers_putThroughTwoNodes_resolveThroughAThird_andAWithdrawalRemovesOne() {
    start(NODES, K8);
    KeyPair alice = Ed25519Keys.generate();
    KeyPair bob = Ed25519Keys.generate();
    Instant expiry = mesh.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(1));
    ValueRecord fromAlice = EndpointRecords.sign(EndpointEntry.of("checkout", "10.0.0.1:8080",
        Map.of("zone", "a"), mesh.node(3).self().id().toBytes()), 1, expiry, false, alice);
    ValueRecord fromBob = EndpointRecords.sign(EndpointEntry.of("checkout", "10.0.0.2:8080",
        Map.of("zone", "b"), mesh.node(11).self().id().toBytes()), 1, expiry, false, bob);
    NodeId service = mesh.node(17).serviceKeyOf("checkout");

    assertThat(mesh.await(mesh.node(3).putEndpoint(fromAlice, null)).replicas()).isEqualTo(8);
    assertThat(mesh.await(mesh.node(11).putEndpoint(fromBob, null)).replicas()).isEqualTo(8);
    assertThat(mesh.await(mesh.node(17).resolve(service, null)))
        .containsExactlyInAnyOrder(fromAlice, fromBob);

    ValueRecord withdrawn = EndpointRecords.sign(EndpointRecords.entry(fromAlice), 2, expiry,
        true, alice);
    mesh.await(mesh.node(5).putEndpoint(withdrawn, null));
    List<ValueRecord> after = mesh.await(mesh.node(17).resolve(service, null));

    assertThat(after).containsExactlyInAnyOrder(withdrawn, fromBob);
    assertThat(after.stream().filter(r -> !r.isTombstone())).containsExactly(fromBob);
    for (int i : mesh.closestRunning(service)) {
      assertThat(mesh.node(i).store().getAll(service, RecordKind.ENDPOINT, mesh.now()))
          .as("replica %d", i).containsExactlyInAnyOrder(withdrawn, fromBob);
    }
  }
}
