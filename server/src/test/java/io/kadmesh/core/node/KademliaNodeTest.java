package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.DhtException.Reason;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.sim.InMemoryNetwork.Failure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** One node, or a few, for the rules that need no large network. */
class KademliaNodeTest {
  /** A write quorum of one: these rules concern one node, which may know peers that are gone. */
  private static final NodeConfig CONFIG = NodeConfig.builder()
      .k(4).maxValueBytes(16).maxTtl(Duration.ofHours(2)).defaultTtl(Duration.ofHours(1))
      .maxRecords(3).writeQuorum(1).build();

  private final Cluster cluster = new Cluster(CONFIG, 1);
  private final KademliaNode lone = cluster.add();
  private final NodeId key = NodeId.ofKey("k");

  private static Reason reasonOf(CompletableFuture<?> f) {
    Throwable t = catchThrowable(f::join);
    assertThat(t).isInstanceOf(CompletionException.class);
    assertThat(t.getCause()).isInstanceOf(DhtException.class);
    return ((DhtException) t.getCause()).reason();
  }

  @Test
  void loneNode_putThenGet_worksWithOneReplica() {
    cluster.await(lone.join(List.of()));
    assertThat(lone.isJoined()).isTrue();
    WriteResult w = cluster.await(lone.put(key, "v".getBytes(), null, null));
    assertThat(w.replicas()).isEqualTo(1);
    assertThat(w.expiresAt()).isEqualTo(cluster.scheduler.now().plus(CONFIG.defaultTtl()));
    assertThat(cluster.await(lone.get(key, null)).orElseThrow().value()).isEqualTo("v".getBytes());
  }

  @Test
  void join_withNoBootstrapAnswering_completesNormally_andStaysUnjoined() {
    cluster.await(lone.join(List.of("nowhere:1")));
    assertThat(lone.isJoined()).isFalse();
  }

  @Test
  void put_validation_failsWithTheRightReason_namingFieldAndLimit() {
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
  void handleStore_rejectsOversizedValue_andExpiryBeyondMaxTtl_andSkipsExpired() {
    Contact peer = new Contact(NodeId.ofKey("peer"), "peer:1");
    Instant now = cluster.scheduler.now();
    Version v = new Version(1, peer.id());
    assertThat(catchThrowable(() -> lone.handleStore(peer, ValueRecord.value(key, new byte[17], v, now.plusSeconds(60)))))
        .isInstanceOfSatisfying(DhtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RESOURCE_EXHAUSTED));
    assertThat(catchThrowable(() -> lone.handleStore(peer, ValueRecord.value(key, new byte[1], v, now.plus(Duration.ofHours(3))))))
        .isInstanceOfSatisfying(DhtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    assertThat(lone.handleStore(peer, ValueRecord.value(key, new byte[1], v, now.plus(Duration.ofHours(2)).plusSeconds(30)))).isTrue();
    assertThat(lone.handleStore(peer, ValueRecord.value(NodeId.ofKey("old"), new byte[1], v, now))).isFalse();
    assertThat(lone.contacts()).containsExactly(peer);
  }

  @Test
  void handleStore_whenStoreIsFull_failsResourceExhausted() {
    Instant exp = cluster.scheduler.now().plusSeconds(60);
    for (int i = 0; i < 3; i++) {
      lone.handleStore(null, ValueRecord.value(NodeId.ofKey("k" + i), new byte[1], new Version(1, key), exp));
    }
    assertThat(catchThrowable(() -> lone.handleStore(null, ValueRecord.value(key, new byte[1], new Version(1, key), exp))))
        .isInstanceOfSatisfying(DhtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RESOURCE_EXHAUSTED));
  }

  @Test
  void handlers_ignoreTheNodesOwnContact_andFindNodeNeverReturnsTheSender() {
    KademliaNode other = cluster.add();
    Contact third = new Contact(NodeId.ofKey("third"), "third:1");
    lone.handlePing(lone.self());
    lone.handlePing(third);
    assertThat(lone.handleFindNode(other.self(), key)).containsExactly(third);
    assertThat(lone.handleFindNode(third, key)).containsExactly(other.self());
  }

  @Test
  void handleFindValue_answersTheRecord_orElseTheClosest() {
    Contact peer = new Contact(NodeId.ofKey("peer"), "peer:1");
    lone.handlePing(peer);
    assertThat(lone.handleFindValue(null, key).record()).isNull();
    assertThat(lone.handleFindValue(null, key).closest()).containsExactly(peer);
    cluster.await(lone.put(key, "v".getBytes(), null, null));
    assertThat(lone.handleFindValue(null, key).record()).isNotNull();
    assertThat(lone.handleFindValue(null, key).closest()).isEmpty();
  }

  @Test
  void put_whenEveryPeerIsSilent_failsWithDeadlineExceeded_orStoresLocally() {
    KademliaNode peer = cluster.add();
    cluster.await(peer.join(List.of(lone.self().address())));
    cluster.network.down(lone.self().address(), Failure.SILENT);
    CompletableFuture<WriteResult> w = peer.put(key, "v".getBytes(), null, Duration.ofSeconds(1));
    cluster.scheduler.advance(Duration.ofSeconds(2));
    assertThat(reasonOf(w)).isEqualTo(Reason.DEADLINE_EXCEEDED);
  }

  @Test
  void start_purgesExpiredRecords_everyExpiryInterval() {
    lone.start();
    cluster.await(lone.put(key, "v".getBytes(), Duration.ofMinutes(1), null));
    assertThat(lone.store().recordCount()).isEqualTo(1);
    cluster.scheduler.advance(Duration.ofMinutes(1).plus(CONFIG.expiryInterval()));
    assertThat(lone.store().recordCount()).isZero();
    lone.close();
    assertThat(cluster.scheduler.pendingTasks()).isZero();
  }

  @Test
  void refresh_looksUpIdleBuckets_soTheyAreNoLongerIdle() {
    KademliaNode peer = cluster.add();
    cluster.await(peer.join(List.of(lone.self().address())));
    lone.start();
    cluster.scheduler.advance(CONFIG.bucketRefreshInterval().multipliedBy(2));
    Instant now = cluster.scheduler.now();
    assertThat(lone.routingTable().bucketsIdleSince(now, CONFIG.bucketRefreshInterval())).isEmpty();
    lone.close();
  }
}
