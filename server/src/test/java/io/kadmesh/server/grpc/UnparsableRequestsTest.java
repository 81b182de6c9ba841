package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status.Code;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bytes that are not the request message: gRPC alone would answer UNKNOWN; the node answers INVALID_ARGUMENT. */
class UnparsableRequestsTest {
  /** Field 1, length-delimited, claims 5 bytes and carries none. */
  private static final byte[] TRUNCATED = {0x0A, 0x05};

  @RegisterExtension final TestNodes nodes = new TestNodes();


  private static byte[] send(ManagedChannel channel, MethodDescriptor<?, ?> method, byte[] payload) {
    return ClientCalls.blockingUnaryCall(channel, method.toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build(),
        CallOptions.DEFAULT.withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS), payload);
  }

  @Test
  void peerRpc_withBytesThatDoNotParse_failsInvalidArgumentNamingTheMethod() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    ManagedChannel peer = nodes.channel(node.addresses().peer());

    assertFails(() -> send(peer, KademliaGrpc.getPingMethod(), TRUNCATED),
        Code.INVALID_ARGUMENT, "kadmesh.v1.Kademlia/Ping", "does not parse");
    assertFails(() -> send(peer, KademliaGrpc.getStoreMethod(), TRUNCATED), Code.INVALID_ARGUMENT);
  }

  @Test
  void apiRpc_withBytesThatDoNotParse_failsInvalidArgumentNamingTheMethod() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    ManagedChannel api = nodes.channel(node.addresses().api());

    assertFails(() -> send(api, DhtGrpc.getPutMethod(), TRUNCATED),
        Code.INVALID_ARGUMENT, "kadmesh.v1.Dht/Put", "does not parse");
    assertFails(() -> send(api, DhtGrpc.getGetMethod(), TRUNCATED), Code.INVALID_ARGUMENT);
    assertThat(node.node().store().recordCount()).isZero();
  }

  @Test
  void healthCheck_withBytesThatDoNotParse_failsInvalidArgumentOnBothPorts() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    assertFails(() -> send(nodes.channel(node.addresses().peer()), HealthGrpc.getCheckMethod(), TRUNCATED),
        Code.INVALID_ARGUMENT);
    assertFails(() -> send(nodes.channel(node.addresses().api()), HealthGrpc.getCheckMethod(), TRUNCATED),
        Code.INVALID_ARGUMENT);
  }

  @Test
  void call_afterARejectedOne_isServedNormally() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    ManagedChannel api = nodes.channel(node.addresses().api());
    assertFails(() -> send(api, DhtGrpc.getGetMethod(), TRUNCATED), Code.INVALID_ARGUMENT);

    byte[] emptyGetNodeInfo = send(api, DhtGrpc.getGetNodeInfoMethod(), new byte[0]);

    assertThat(emptyGetNodeInfo).isNotEmpty();
  }
}
