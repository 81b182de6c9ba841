package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.PutRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class GrpcPeerTransportTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final Random random = new Random(7);
  private final List<ManagedChannel> opened = new CopyOnWriteArrayList<>();

  private GrpcPeerTransport transport(String network) {
    return transport(network, GrpcPeerTransport.DEFAULT_MAX_CHANNELS);
  }

  private GrpcPeerTransport transport(String network, int maxChannels) {
    Contact self = new Contact(NodeId.random(random), TestNodes.address("transport"));
    return nodes.register(new GrpcPeerTransport(self, network, Duration.ofSeconds(TestNodes.CALL_DEADLINE_SECONDS),
        address -> {
          ManagedChannel channel = InProcessEndpoints.channel(address);
          opened.add(channel);
          return channel;
        }, maxChannels));
  }

  private static <T> T await(CompletableFuture<T> f) throws Exception {
    return f.get(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletableFuture<?> f) {
    Throwable thrown = catchThrowable(() -> f.get(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS));
    assertThat(thrown).as("the call should fail").isInstanceOf(ExecutionException.class);
    return thrown.getCause();
  }

  private ValueRecord record(String key) {
    return ValueRecord.value(NodeId.ofKey(key), new byte[] {1}, new Version(1, NodeId.random(random)),
        Instant.now().plusSeconds(600));
  }

  @Test
  void ping_answersTheContactOfTheNodeAtThatAddress() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    Contact answered = await(transport(NodeConfig.DEFAULT_NETWORK).ping(node.addresses().peer()));

    assertThat(answered).isEqualTo(node.node().self());
  }

  @Test
  void everyCall_toAnAddressWhoseNodeHasAnotherId_fails() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    GrpcPeerTransport transport = transport(NodeConfig.DEFAULT_NETWORK);
    Contact stale = new Contact(NodeId.random(random), node.addresses().peer());

    assertThat(failureOf(transport.findNode(stale, NodeId.random(random))))
        .hasMessageContaining("expected node " + stale.id().shortHex())
        .hasMessageContaining(node.node().self().id().shortHex() + " answered");
    assertThat(failureOf(transport.findValue(stale, NodeId.random(random), RecordKind.PLAIN))).hasMessageContaining("answered");
    assertThat(failureOf(transport.store(stale, record("k")))).hasMessageContaining("answered");
  }

  @Test
  void forget_closesThePeersChannelAndALaterCallOpensAnother() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    GrpcPeerTransport transport = transport(NodeConfig.DEFAULT_NETWORK);
    Contact peer = node.node().self();
    await(transport.findNode(peer, NodeId.random(random)));
    await(transport.ping(peer.address()));
    assertThat(transport.openChannels()).isEqualTo(1);
    assertThat(opened).hasSize(1);

    transport.forget(peer.address());

    assertThat(transport.openChannels()).isZero();
    assertThat(opened.get(0).isShutdown()).isTrue();
    assertThat(await(transport.findNode(peer, NodeId.random(random)))).isEmpty();
    assertThat(transport.openChannels()).isEqualTo(1);
    assertThat(opened).hasSize(2);
  }

  @Test
  void forget_ofAContactNeverCalled_changesNothing() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    GrpcPeerTransport transport = transport(NodeConfig.DEFAULT_NETWORK);
    await(transport.ping(node.addresses().peer()));

    transport.forget(TestNodes.address("stranger"));

    assertThat(transport.openChannels()).isEqualTo(1);
  }

  @Test
  void store_toAFullPeer_failsWithTheRefusalTheCoreCountsAsAlive() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.builder().maxRecords(1).build());
    GrpcPeerTransport transport = transport(NodeConfig.DEFAULT_NETWORK);
    Contact peer = node.node().self();
    assertThat(await(transport.store(peer, record("first"))).stored()).isTrue();

    Throwable failure = failureOf(transport.store(peer, record("second")));

    assertThat(failure).isInstanceOfSatisfying(DhtException.class,
        e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.RESOURCE_EXHAUSTED));
    assertThat(failure).hasMessageContaining("full");
  }

  @Test
  void ping_toAPeerOfAnotherNetwork_failsFailedPrecondition() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    Throwable failure = failureOf(transport("elsewhere").ping(node.addresses().peer()));

    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void ping_toAnAddressNobodyServes_failsUnavailable() {
    Throwable failure = failureOf(transport(NodeConfig.DEFAULT_NETWORK).ping(TestNodes.address("nobody")));

    assertThat(failure).isNotInstanceOf(DhtException.class);
    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void everyCall_afterClose_failsItsFutureInsteadOfThrowing() {
    GrpcPeerTransport transport = transport(NodeConfig.DEFAULT_NETWORK);
    Contact peer = new Contact(NodeId.random(random), TestNodes.address("peer"));
    transport.close();

    assertThat(failureOf(transport.ping(peer.address()))).hasMessageContaining("closed");
    assertThat(failureOf(transport.findNode(peer, NodeId.random(random)))).hasMessageContaining("closed");
    assertThat(failureOf(transport.store(peer, record("k")))).hasMessageContaining("closed");
  }

  @Test
  void put_whoseOtherReplicaIsFull_storesOnceAndKeepsThatPeerInTheRoutingTable() throws Exception {
    // A quorum of one: the point is what a refusal does to the routing table, not the quorum.
    KadmeshServer a = nodes.start(NodeConfig.builder().maxFailures(1).writeQuorum(1).build());
    KadmeshServer b = nodes.start(NodeConfig.builder().maxRecords(1).build());
    b.node().join(List.of(a.addresses().peer())).get(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertThat(await(transport(NodeConfig.DEFAULT_NETWORK).store(b.node().self(), record("filler"))).stored()).isTrue();
    // A learns B once B answered A's check of the join's ping.
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(TestNodes.CALL_DEADLINE_SECONDS))
        .until(() -> a.node().contacts().equals(List.of(b.node().self())));

    int replicas = DhtGrpc.newBlockingStub(nodes.channel(a.addresses().api()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v")).build())
        .getReplicas();

    assertThat(replicas).isEqualTo(1);
    // B answered (with a refusal): it is alive, so one refusal must not evict it.
    assertThat(a.node().contacts()).containsExactly(b.node().self());
  }

  @Test
  void channels_beyondTheBound_closeTheLeastRecentlyUsed_gracefully() throws Exception {
    KadmeshServer a = nodes.start(NodeConfig.defaults());
    KadmeshServer b = nodes.start(NodeConfig.defaults());
    KadmeshServer c = nodes.start(NodeConfig.defaults());
    GrpcPeerTransport transport = transport(NodeConfig.DEFAULT_NETWORK, 2);
    await(transport.ping(a.addresses().peer()));
    await(transport.ping(b.addresses().peer()));
    // a is used again: b is now the least recently used.
    await(transport.ping(a.addresses().peer()));

    await(transport.ping(c.addresses().peer()));

    assertThat(transport.openChannels()).isEqualTo(2);
    assertThat(opened).hasSize(3);
    assertThat(opened.get(1).isShutdown()).as("b's channel").isTrue();
    assertThat(opened.get(0).isShutdown()).as("a's channel").isFalse();
    // An evicted address still works: a fresh channel is opened for it.
    assertThat(await(transport.ping(b.addresses().peer())).id()).isEqualTo(b.node().self().id());
  }

  @Test
  void forget_closesThatAddressesChannel_andALaterCallOpensAFreshOne() throws Exception {
    KadmeshServer a = nodes.start(NodeConfig.defaults());
    GrpcPeerTransport transport = transport(NodeConfig.DEFAULT_NETWORK);
    await(transport.ping(a.addresses().peer()));

    transport.forget(a.addresses().peer());

    assertThat(transport.openChannels()).isZero();
    assertThat(opened.get(0).isShutdown()).isTrue();
    assertThat(await(transport.ping(a.addresses().peer())).id()).isEqualTo(a.node().self().id());
    assertThat(transport.openChannels()).isEqualTo(1);
  }
}
