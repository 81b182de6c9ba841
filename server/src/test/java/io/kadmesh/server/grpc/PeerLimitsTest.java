package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.PeerMessages.contact;
import static io.kadmesh.server.grpc.PeerMessages.header;
import static io.kadmesh.server.grpc.PeerMessages.ping;
import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.server.HostPort;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The per-peer limits of the gRPC layer, over real Netty on 127.0.0.1. */
class PeerLimitsTest {
  private static final HostPort ANY_LOOPBACK_PORT = HostPort.parse("127.0.0.1:0");

  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final Random random = new Random(8);

  private KadmeshServer startNetty(NodeConfig config) {
    return nodes.start(config, b -> b
        .peerServer(NettyEndpoints.server(ANY_LOOPBACK_PORT, true), ANY_LOOPBACK_PORT.toString())
        .apiServer(NettyEndpoints.server(ANY_LOOPBACK_PORT, true), ANY_LOOPBACK_PORT.toString())
        .channelFactory(NettyEndpoints.peerChannels(true, config)));
  }

  /** A channel of its own, so a connection of its own. */
  private ManagedChannel connect(String address) {
    return nodes.register(NettyChannelBuilder.forTarget(address).usePlaintext().build());
  }

  private KademliaGrpc.KademliaBlockingStub kademlia(ManagedChannel channel) {
    return KademliaGrpc.newBlockingStub(channel).withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private RequestHeader sender(String address) {
    return header(contact(NodeId.random(random), address));
  }

  @Test
  void oversizeRequest_onEitherPort_answersResourceExhaustedNamingTheLimit_andTheNodeServesTheNextCall() {
    NodeConfig config = NodeConfig.defaults();
    KadmeshServer node = startNetty(config);
    ManagedChannel api = connect(node.addresses().api());
    ManagedChannel peer = connect(node.addresses().peer());
    ByteString fiveMiB = ByteString.copyFrom(new byte[5 << 20]);
    String limit = String.valueOf(MessageLimits.maxInboundBytes(config));

    assertFails(() -> DhtGrpc.newBlockingStub(api).withDeadlineAfter(5, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey("big").setValue(fiveMiB).build()),
        Status.Code.RESOURCE_EXHAUSTED, limit);
    assertFails(() -> kademlia(peer).ping(ping(sender("127.0.0.1:1").toBuilder()
        .setNetwork(fiveMiB.toStringUtf8()).build())),
        Status.Code.RESOURCE_EXHAUSTED, limit);

    assertThat(DhtGrpc.newBlockingStub(api).withDeadlineAfter(5, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey("small").setValue(ByteString.copyFromUtf8("v")).build())
        .getReplicas()).isEqualTo(1);
    assertThat(kademlia(peer).ping(ping(sender("127.0.0.1:1"))).hasHeader()).isTrue();
  }

  @Test
  void valueAtTheLimit_fitsUnderTheMessageLimit() {
    NodeConfig config = NodeConfig.defaults();
    KadmeshServer node = startNetty(config);
    ManagedChannel api = connect(node.addresses().api());
    String longestKey = "k".repeat(config.maxKeyBytes());

    int replicas = DhtGrpc.newBlockingStub(api).withDeadlineAfter(5, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey(longestKey)
            .setValue(ByteString.copyFrom(new byte[config.maxValueBytes()])).build())
        .getReplicas();

    assertThat(replicas).isEqualTo(1);
  }

  @Test
  void burstOfPings_fromOneSenderOverTheRateLimit_isMostlyRefused_whileAnotherSenderIsServed() {
    KadmeshServer node = startNetty(NodeConfig.builder().peerRateLimit(20).build());
    ManagedChannel channel = connect(node.addresses().peer());
    RequestHeader flooder = sender("127.0.0.1:1");

    int refused = 0;
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      try {
        kademlia(channel).ping(ping(flooder));
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription())
            .isEqualTo("peer rate limit of 20 requests/s (--peer-rate-limit) exceeded");
        refused++;
      }
    }

    // A burst of 40 passes, and 20 more for each second the loop took (longer on a loaded machine).
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(200 - refused).isLessThanOrEqualTo(40 + (int) Math.ceil(20 * seconds));
    assertThat(refused).isPositive();
    assertThat(kademlia(channel).ping(ping(sender("127.0.0.1:2"))).hasHeader()).isTrue();
    // Health and reflection are not limited.
    assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void connectionBeyondTheLimitPerAddress_hasItsCallsRefused_untilAnEarlierOneCloses() {
    NodeConfig config = NodeConfig.builder().exemptLoopback(false).maxConnectionsPerAddress(2).build();
    KadmeshServer node = startNetty(config);
    ManagedChannel first = connect(node.addresses().peer());
    ManagedChannel second = connect(node.addresses().peer());
    ManagedChannel third = connect(node.addresses().peer());
    RequestHeader header = sender("127.0.0.1:1");

    kademlia(first).ping(ping(header));
    kademlia(second).ping(ping(header));
    assertFails(() -> kademlia(third).ping(ping(header)), Status.Code.RESOURCE_EXHAUSTED,
        "connection limit of 2 per remote address (--max-connections-per-address)");

    first.shutdownNow();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> kademlia(third).ping(ping(header)));
    assertFails(() -> kademlia(connect(node.addresses().peer())).ping(ping(header)),
        Status.Code.RESOURCE_EXHAUSTED, "--max-connections-per-address");
  }

  /** A health Watch, which stays open: its first answer, and the handle that cancels it. */
  private record Watch(CompletableFuture<HealthCheckResponse> first, ClientCallStreamObserver<?> call) {}

  private Watch watch(ManagedChannel channel) {
    CompletableFuture<HealthCheckResponse> first = new CompletableFuture<>();
    CompletableFuture<ClientCallStreamObserver<?>> call = new CompletableFuture<>();
    HealthGrpc.newStub(channel).watch(HealthCheckRequest.getDefaultInstance(),
        new ClientResponseObserver<HealthCheckRequest, HealthCheckResponse>() {
          @Override
          public void beforeStart(ClientCallStreamObserver<HealthCheckRequest> requests) {
            call.complete(requests);
          }

          @Override
          public void onNext(HealthCheckResponse value) {
            first.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            first.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    return new Watch(first, call.join());
  }

  @Test
  void callsBeyondTheLimitPerConnection_wait_whileOtherConnectionsAreServed() throws Exception {
    KadmeshServer node = startNetty(NodeConfig.builder().maxCallsPerConnection(2).build());
    ManagedChannel channel = connect(node.addresses().api());
    Watch one = watch(channel);
    Watch two = watch(channel);
    assertThat(one.first().get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(ServingStatus.SERVING);
    assertThat(two.first().get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(ServingStatus.SERVING);

    // gRPC's client holds a third stream back until the server allows it (HTTP/2
    // MAX_CONCURRENT_STREAMS): a call on this connection waits, and its deadline can pass.
    Watch three = watch(channel);
    assertFails(() -> HealthGrpc.newBlockingStub(channel).withDeadlineAfter(300, TimeUnit.MILLISECONDS)
        .check(HealthCheckRequest.getDefaultInstance()), Status.Code.DEADLINE_EXCEEDED);
    assertThat(three.first()).isNotDone();
    assertThat(HealthGrpc.newBlockingStub(connect(node.addresses().api())).withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);

    one.call().cancel("done", null);
    two.call().cancel("done", null);
    three.call().cancel("done", null);
  }

  @Test
  void callExecutor_runsTheCalls_andIsShutDownWithTheServer() {
    NodeConfig config = NodeConfig.defaults();
    CallExecutor executor = CallExecutor.create(64);
    KadmeshServer node = nodes.start(config, b -> b
        .peerServer(NettyEndpoints.server(ANY_LOOPBACK_PORT, false), ANY_LOOPBACK_PORT.toString())
        .apiServer(NettyEndpoints.server(ANY_LOOPBACK_PORT, false), ANY_LOOPBACK_PORT.toString())
        .channelFactory(NettyEndpoints.peerChannels(false, config))
        .callExecutor(executor));

    assertThat(kademlia(connect(node.addresses().peer())).ping(ping(sender("127.0.0.1:1"))).hasHeader()).isTrue();
    node.close();

    assertThat(executor.isShutdown()).isTrue();
  }
}
