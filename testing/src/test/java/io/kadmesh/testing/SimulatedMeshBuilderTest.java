package io.kadmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The simulated mesh's own contract: its options, its member bookkeeping, its waits. */
class SimulatedMeshBuilderTest {
  @Test
  void meshes_withTheSameSeed_haveTheSameIdsButNetworksOfTheirOwn() {
    try (SimulatedMesh a = SimulatedMesh.builder().size(3).seed(5).start();
        SimulatedMesh b = SimulatedMesh.builder().size(3).seed(5).start()) {
      for (int i = 0; i < 3; i++) {
        assertThat(a.node(i).self().id()).isEqualTo(b.node(i).self().id());
      }
      assertThat(a.config().network()).startsWith("mesh-").isNotEqualTo(b.config().network());
    }
  }

  @Test
  void prefilledTables_withoutJoining_giveEveryMemberContacts_inIdOrder() {
    try (SimulatedMesh mesh = SimulatedMesh.builder().size(200).prefilledTables().maintenance(false).start()) {
      for (int i = 0; i < mesh.size(); i++) {
        assertThat(mesh.node(i).contacts()).as("contacts of %d", i).isNotEmpty();
        if (i > 0) {
          assertThat(mesh.node(i).self().id()).isGreaterThan(mesh.node(i - 1).self().id());
        }
      }
      assertThat(mesh.scheduler().pendingTasks()).as("no maintenance job scheduled").isZero();
    }
  }

  @Test
  void transportDecorator_ofEveryMember_seesTheRequestsItSends() {
    AtomicInteger pings = new AtomicInteger();
    SimulatedMesh.TransportDecorator counting = (self, inner) -> new CountingPings(inner, pings);
    try (SimulatedMesh mesh = SimulatedMesh.builder().size(4).transport(counting).start()) {
      assertThat(pings.get()).as("each newcomer pinged its bootstrap")
          .isGreaterThanOrEqualTo(mesh.size() - 1);
    }
  }

  @Test
  void crashAndStop_removeMembersFromRunning_andTheirOperationsFail() {
    try (SimulatedMesh mesh = SimulatedMesh.builder().size(5).start()) {
      mesh.crash(1);
      mesh.stop(2);
      assertThat(mesh.running()).containsExactly(0, 3, 4);
      assertThat(mesh.isRunning(1)).isFalse();
      assertThatThrownBy(() -> mesh.get(1, "k")).isInstanceOf(IllegalStateException.class);
      assertThat(mesh.add()).isEqualTo(5);
      assertThat(mesh.running()).containsExactly(0, 3, 4, 5);
    }
  }

  @Test
  void restart_ofACrashedMember_isANewMemberWithItsIdAndRecords() {
    try (SimulatedMesh mesh = SimulatedMesh.builder().size(4).connecting().start()) {
      WriteAck w = mesh.put(1, "kept", "v");
      NodeId key = NodeId.ofKey("kept");
      int holder = mesh.running().stream().filter(i -> mesh.holds(i, key, w.version()))
          .findFirst().orElseThrow();
      mesh.crash(holder);
      int back = mesh.restart(holder);
      assertThat(back).isEqualTo(4);
      assertThat(mesh.node(back).self()).isEqualTo(mesh.node(holder).self());
      assertThat(mesh.holds(back, key, w.version())).isTrue();
      mesh.awaitUntil(() -> mesh.node(back).isServing(), Duration.ofMinutes(1));
    }
  }

  @Test
  void awaitUntil_ofAConditionThatNeverHolds_failsOnceTheLimitPassedOnVirtualTime() {
    try (SimulatedMesh mesh = SimulatedMesh.builder().size(2).start()) {
      var before = mesh.now();
      assertThatThrownBy(() -> mesh.awaitUntil(() -> false, Duration.ofMinutes(3)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("PT3M");
      assertThat(Duration.between(before, mesh.now())).isEqualTo(Duration.ofMinutes(3));
    }
  }

  @Test
  void size_ofZero_isAnEmptyMesh_whoseMembersComeUnjoined() {
    try (SimulatedMesh mesh = SimulatedMesh.builder().size(0).start()) {
      int i = mesh.addUnjoined();
      assertThat(mesh.running()).containsExactly(i);
      assertThat(mesh.node(i).isJoined()).isFalse();
    }
    assertThatThrownBy(() -> GrpcMesh.builder().size(0)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Counts pings, passes everything on. */
  private record CountingPings(PeerTransport inner, AtomicInteger pings) implements PeerTransport {
    @Override
    public CompletableFuture<Contact> ping(String address) {
      pings.incrementAndGet();
      return inner.ping(address);
    }

    @Override
    public CompletableFuture<List<Contact>> findNode(
        Contact to, NodeId target) {
      return inner.findNode(to, target);
    }

    @Override
    public CompletableFuture<FoundValue> findValue(Contact to,
        NodeId key, RecordKind kind) {
      return inner.findValue(to, key, kind);
    }

    @Override
    public CompletableFuture<StoreResult> store(Contact to,
        ValueRecord record) {
      return inner.store(to, record);
    }
  }
}
