package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Health and reflection, which grpcurl and orchestrators rely on, on both of a node's ports. */
class StandardServicesTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();

  private ServingStatus health(String address, String service) {
    return HealthGrpc.newBlockingStub(nodes.channel(address))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build())
        .getStatus();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", DhtGrpc.SERVICE_NAME, KademliaGrpc.SERVICE_NAME})
  void healthCheck_ofALoneNode_answersServingOnBothPorts(String service) {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    assertThat(health(node.addresses().peer(), service)).isEqualTo(ServingStatus.SERVING);
    assertThat(health(node.addresses().api(), service)).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void healthCheck_ofANodeWhoseBootstrapNeverAnswered_answersNotServing() {
    KadmeshServer node = nodes.start(NodeConfig.builder().rpcTimeout(java.time.Duration.ofMillis(100)).build(),
        b -> b.bootstrap(List.of(TestNodes.address("nobody"))));

    // The join is still retrying (the first retry is a second away); the node must not claim SERVING.
    // Either answer before the failed join settles is NOT_SERVING, so no waiting is needed.
    assertThat(health(node.addresses().api(), "")).isEqualTo(ServingStatus.NOT_SERVING);
  }

  private List<String> v1Services(String address) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    ManagedChannel channel = nodes.channel(address);
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .serverReflectionInfo(completing(answer));
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return answer.get(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
  }

  @SuppressWarnings("deprecation")
  private List<String> v1alphaServices(String address) throws Exception {
    CompletableFuture<io.grpc.reflection.v1alpha.ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<io.grpc.reflection.v1alpha.ServerReflectionRequest> requests =
        io.grpc.reflection.v1alpha.ServerReflectionGrpc.newStub(nodes.channel(address))
            .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
            .serverReflectionInfo(completing(answer));
    requests.onNext(io.grpc.reflection.v1alpha.ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();
    return answer.get(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .getListServicesResponse().getServiceList().stream()
        .map(io.grpc.reflection.v1alpha.ServiceResponse::getName).toList();
  }

  private static <T> StreamObserver<T> completing(CompletableFuture<T> answer) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        answer.completeExceptionally(new IllegalStateException("the stream ended without an answer"));
      }
    };
  }

  @Test
  void reflectionV1_listsKademliaOnThePeerPortAndDhtOnTheApiPort() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    List<String> peer = v1Services(node.addresses().peer());
    List<String> api = v1Services(node.addresses().api());

    assertThat(peer).contains(KademliaGrpc.SERVICE_NAME, "grpc.health.v1.Health")
        .doesNotContain(DhtGrpc.SERVICE_NAME);
    assertThat(api).contains(DhtGrpc.SERVICE_NAME, AdminGrpc.SERVICE_NAME, "grpc.health.v1.Health")
        .doesNotContain(KademliaGrpc.SERVICE_NAME);
  }

  @Test
  void reflectionV1alpha_listsKademliaOnThePeerPortAndDhtOnTheApiPort() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    assertThat(v1alphaServices(node.addresses().peer())).contains(KademliaGrpc.SERVICE_NAME);
    assertThat(v1alphaServices(node.addresses().api())).contains(DhtGrpc.SERVICE_NAME);
  }

  @Test
  void reflectionV1_describesTheDhtServiceFromItsFile() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc
        .newStub(nodes.channel(node.addresses().api()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .serverReflectionInfo(completing(answer));

    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(DhtGrpc.SERVICE_NAME).build());
    requests.onCompleted();
    ServerReflectionResponse response = answer.get(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);

    assertThat(response.hasErrorResponse()).as("%s", response.getErrorResponse()).isFalse();
    assertThat(response.getFileDescriptorResponse().getFileDescriptorProtoCount()).isPositive();
  }
}
