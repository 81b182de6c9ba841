package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.DhtException.Reason;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.sim.InMemoryNetwork.Failure;
import io.kadmesh.testing.SimulatedMesh;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** One node, or a few, for the rules that need no large network; on a {@link SimulatedMesh}. */
class KademliaNodeTest {
  /** A write quorum of one: these rules concern one node, which may know peers that are gone. */
  private static final NodeConfig CONFIG = NodeConfig.builder()
      .k(4).maxValueBytes(16).maxTtl(Duration.ofHours(2)).defaultTtl(Duration.ofHours(1))
      .maxRecords(3).writeQuorum(1).build();

  /** No member yet: each test adds the ones it needs, neither started nor joined. */
  private final SimulatedMesh mesh = SimulatedMesh.builder().size(0).config(CONFIG).seed(1).start();
  private final KademliaNode lone = mesh.node(mesh.addUnjoined());
  private final NodeId key = NodeId.ofKey("k");

  private static Reason reasonOf(CompletableFuture<?> f) {
    Throwable t = catchThrowable(f::join);
    assertThat(t).isInstanceOf(CompletionException.class);
    assertThat(t.getCause()).isInstanceOf(DhtException.class);
    return ((DhtException) t.getCause()).reason();
  }

  @Test
  void loneNode_putThenGet_worksWithOneReplica() {
    mesh.await(lone.join(List.of()));
    assertThat(lone.isJoined()).isTrue();
    WriteResult w = mesh.await(lone.put(key, "v".getBytes(), null, null));
    assertThat(w.replicas()).isEqualTo(1);
    assertThat(w.expiresAt()).isEqualTo(mesh.scheduler().now().plus(CONFIG.defaultTtl()));
    assertThat(mesh.await(lone.get(key, null)).orElseThrow().value()).isEqualTo("v".getBytes());
  }

  @Test
  void join_withNoBootstrapAnswering_completesNormally_andStaysUnjoined() {
    mesh.await(lone.join(List.of("nowhere:1")));
    assertThat(lone.isJoined()).isFalse();
  }

  @Test
  void put_overALimit_failsWithTheRightReason_namingFieldAndLimit() {
    CompletableFuture<WriteResult> big = lone.put(key, new byte[17], null, null);
    assertThat(reasonOf(big)).isEqualTo(Reason.RESOURCE_EXHAUSTED);
    assertThat(catchThrowable(big::join).getCause()).hasMessageContaining("value").hasMessageContaining("16");
    CompletableFuture<WriteResult> longTtl = lone.put(key, new byte[1], Duration.ofHours(3), null);
    assertThat(reasonOf(longTtl)).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(catchThrowable(longTtl::join).getCause()).hasMessageContaining("ttl").hasMessageContaining("PT2H");
    assertThat(reasonOf(lone.put(key, new byte[1], Duration.ZERO, null))).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(reasonOf(lone.put(key, new byte[1], Duration.ofSeconds(-1), null))).isEqualTo(Reason.INVALID_ARGUMENT);
  }

  @Test
  void handleStore_ofRecordsBeyondTheLimitsOrExpired_rejectsOrSkipsThem() {
    Contact peer = mesh.node(mesh.addUnjoined()).self();
    Instant now = mesh.scheduler().now();
    Version v = new Version(1, peer.id());
    assertThat(catchThrowable(() -> lone.handleStore(peer, ValueRecord.value(key, new byte[17], v, now.plusSeconds(60)))))
        .isInstanceOfSatisfying(DhtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RESOURCE_EXHAUSTED));
    assertThat(catchThrowable(() -> lone.handleStore(peer, ValueRecord.value(key, new byte[1], v, now.plus(Duration.ofHours(3))))))
        .isInstanceOfSatisfying(DhtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    assertThat(lone.handleStore(peer, ValueRecord.value(key, new byte[1], v, now.plus(Duration.ofHours(2)).plusSeconds(30))).stored()).isTrue();
    assertThat(lone.handleStore(peer, ValueRecord.value(NodeId.ofKey("old"), new byte[1], v, now)).stored()).isFalse();
    // The sender enters the table once it answered the node's check of its address.
    mesh.awaitUntil(() -> lone.contacts().equals(List.of(peer)), Duration.ofSeconds(5));
  }

  @Test
  void handleStore_whenStoreIsFull_failsResourceExhausted() {
    Instant exp = mesh.scheduler().now().plusSeconds(60);
    for (int i = 0; i < 3; i++) {
      lone.handleStore(null, ValueRecord.value(NodeId.ofKey("k" + i), new byte[1], new Version(1, key), exp));
    }
    assertThat(catchThrowable(() -> lone.handleStore(null, ValueRecord.value(key, new byte[1], new Version(1, key), exp))))
        .isInstanceOfSatisfying(DhtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RESOURCE_EXHAUSTED));
  }

  @Test
  void handlers_givenTheNodesOwnContactOrTheSender_neverStoreOrReturnIt() {
    KademliaNode other = mesh.node(mesh.addUnjoined());
    Contact third = mesh.node(mesh.addUnjoined()).self();
    lone.handlePing(lone.self());
    lone.handlePing(third);
    mesh.awaitUntil(() -> lone.contacts().size() == 1, Duration.ofSeconds(5));
    assertThat(lone.handleFindNode(other.self(), key)).containsExactly(third);
    mesh.awaitUntil(() -> lone.contacts().size() == 2, Duration.ofSeconds(5));
    assertThat(lone.handleFindNode(third, key)).containsExactly(other.self());
  }

  @Test
  void handleFindValue_withOrWithoutTheRecord_answersItOrElseTheClosest() {
    Contact peer = mesh.node(mesh.addUnjoined()).self();
    lone.handlePing(peer);
    mesh.awaitUntil(() -> lone.contacts().size() == 1, Duration.ofSeconds(5));
    assertThat(lone.handleFindValue(null, key, RecordKind.PLAIN).record()).isNull();
    assertThat(lone.handleFindValue(null, key, RecordKind.PLAIN).closest()).containsExactly(peer);
    mesh.await(lone.put(key, "v".getBytes(), null, null));
    assertThat(lone.handleFindValue(null, key, RecordKind.PLAIN).record()).isNotNull();
    assertThat(lone.handleFindValue(null, key, RecordKind.PLAIN).closest()).isEmpty();
  }

  @Test
  void put_whenEveryPeerIsSilent_failsWithDeadlineExceeded_orStoresLocally() {
    KademliaNode peer = mesh.node(mesh.addUnjoined());
    mesh.await(peer.join(List.of(lone.self().address())));
    mesh.network().down(lone.self().address(), Failure.SILENT);
    CompletableFuture<WriteResult> w = peer.put(key, "v".getBytes(), null, Duration.ofSeconds(1));
    mesh.scheduler().advance(Duration.ofSeconds(2));
    assertThat(reasonOf(w)).isEqualTo(Reason.DEADLINE_EXCEEDED);
  }

  @Test
  void start_withRecordsExpiring_purgesThemEveryExpiryInterval() {
    lone.start();
    mesh.await(lone.put(key, "v".getBytes(), Duration.ofMinutes(1), null));
    assertThat(lone.store().recordCount()).isEqualTo(1);
    mesh.scheduler().advance(Duration.ofMinutes(1).plus(CONFIG.expiryInterval()));
    assertThat(lone.store().recordCount()).isZero();
    lone.close();
    assertThat(mesh.scheduler().pendingTasks()).isZero();
  }

  @Test
  void refresh_ofIdleBuckets_looksThemUp_soTheyAreNoLongerIdle() {
    KademliaNode peer = mesh.node(mesh.addUnjoined());
    mesh.await(peer.join(List.of(lone.self().address())));
    lone.start();
    mesh.scheduler().advance(CONFIG.bucketRefreshInterval().multipliedBy(2));
    Instant now = mesh.scheduler().now();
    assertThat(lone.routingTable().bucketsIdleSince(now, CONFIG.bucketRefreshInterval())).isEmpty();
    lone.close();
  }
}
