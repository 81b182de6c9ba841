package io.kadmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gRPC mesh's own contract, in-process: its options, its member bookkeeping, its waits. */
class GrpcMeshBuilderTest {
  @Test
  void peerInterceptor_onEveryPeerChannel_seesCallsAndTheSendersAddress() {
    AtomicInteger calls = new AtomicInteger();
    Set<String> senders = ConcurrentHashMap.newKeySet();
    PeerInterceptor counting = (sender, callee) -> new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        calls.incrementAndGet();
        senders.add(sender.get());
        return next.newCall(method, options);
      }
    };
    try (GrpcMesh mesh = GrpcMesh.builder().size(3).peerInterceptor(counting).start()) {
      int before = calls.get();
      mesh.put(2, "k", "v");
      assertThat(calls.get()).isGreaterThan(before);
      assertThat(senders).contains(mesh.server(2).addresses().advertised());
    }
  }

  @Test
  void metrics_offForTheMesh_leaveEveryMembersRegistryEmptyAfterWork_andOnFillsThem() {
    try (GrpcMesh off = GrpcMesh.builder().size(3).metrics(false).start();
        GrpcMesh on = GrpcMesh.builder().size(3).start()) {
      for (GrpcMesh mesh : new GrpcMesh[] {off, on}) {
        mesh.put(2, "k", "v");
        assertThat(mesh.get(1, "k")).isPresent();
      }
      for (int i = 0; i < 3; i++) {
        assertThat(off.server(i).metricsRegistry().scrape()).as("member %d, metrics off", i).isEmpty();
        assertThat(on.server(i).metricsRegistry().scrape()).as("member %d, metrics on", i).isNotEmpty();
      }
    }
  }

  @Test
  void stop_ofAMember_removesItFromRunning_andItsOperationsFail() {
    try (GrpcMesh mesh = GrpcMesh.builder().size(3).start()) {
      mesh.stop(1);
      assertThat(mesh.running()).containsExactly(0, 2);
      assertThatThrownBy(() -> mesh.put(1, "k", "v")).isInstanceOf(IllegalStateException.class);
      assertThat(mesh.add()).isEqualTo(3);
      assertThat(mesh.get(3, "never")).isEmpty();
    }
  }

  @Test
  void awaitUntil_ofAConditionThatNeverHolds_failsOnceTheLimitPassed() {
    try (GrpcMesh mesh = GrpcMesh.builder().size(1).start()) {
      assertThatThrownBy(() -> mesh.awaitUntil(() -> false, Duration.ofMillis(50)))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("PT0.05S");
      assertThat(mesh.config().network()).startsWith("mesh-");
    }
  }
}
