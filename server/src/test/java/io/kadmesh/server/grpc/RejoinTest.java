package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.server.FileContactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's contacts and bootstrap addresses kept in its data directory, a restarted node rejoining
 * through them, and a cut-off node that says so and keeps trying until it is back.
 */
class RejoinTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final NodeConfig CONFIG = NodeConfig.builder()
      .rpcTimeout(Duration.ofMillis(500))
      .maxRejoinBackoff(Duration.ofSeconds(1))
      .contactSaveDelay(Duration.ofMillis(100))
      .build();

  @RegisterExtension final TestNodes nodes = new TestNodes();
  @TempDir Path dir;
  private final Random random = new Random(17);

  private KadmeshServer start(String peer, NodeId id, List<String> bootstrap, FileContactStore store) {
    return nodes.start(CONFIG, b -> {
      String api = TestNodes.address("api");
      b.peerServer(InProcessEndpoints.server(peer), peer)
          .apiServer(InProcessEndpoints.server(api), api)
          .nodeId(id)
          .bootstrap(bootstrap);
      return store == null ? b : b.contactStore(store).dataDirectory(dir);
    });
  }

  private ServingStatus health(KadmeshServer node) {
    return HealthGrpc.newBlockingStub(nodes.channel(node.addresses().api()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus();
  }

  @Test
  void contacts_areSavedSoonAfterTheRoutingTableFills_withoutWaitingForShutdown() {
    KadmeshServer a = nodes.start(CONFIG);
    FileContactStore store = new FileContactStore(dir);
    start(TestNodes.address("peer-b"), NodeId.random(random), List.of(a.addresses().advertised()), store);

    await().atMost(WAIT).until(() -> store.contacts().contains(a.node().self()));
  }

  @Test
  void restartedNode_withNoBootstrap_rejoinsThroughTheContactsItSaved() throws Exception {
    KadmeshServer a = nodes.start(CONFIG);
    KadmeshServer b = start(TestNodes.address("peer-b"), NodeId.random(random),
        List.of(a.addresses().advertised()), null);
    // C learns B through A: once A has checked B's join ping and admitted it.
    await().atMost(WAIT).until(() -> a.node().contacts().contains(b.node().self()));
    String cPeer = TestNodes.address("peer-c");
    NodeId cId = NodeId.random(random);
    FileContactStore store = new FileContactStore(dir);
    KadmeshServer c = start(cPeer, cId, List.of(a.addresses().advertised()), store);
    await().atMost(WAIT).until(() -> c.node().contacts().size() == 2);

    c.close();
    assertThat(store.contacts()).extracting(Contact::id)
        .containsExactlyInAnyOrder(a.node().self().id(), b.node().self().id());

    KadmeshServer restarted = start(cPeer, cId, List.of(), store);
    await().atMost(WAIT).until(() -> restarted.node().contacts().size() == 2);
    await().atMost(WAIT).until(() -> health(restarted) == ServingStatus.SERVING);
    assertThat(nodes.dht(restarted).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()).getDataDir())
        .isEqualTo(dir.toString());
  }

  @Test
  void restartedNode_withNoBootstrapAndNoSavedContacts_rejoinsThroughTheBootstrapItWasGivenBefore()
      throws Exception {
    KadmeshServer a = nodes.start(CONFIG);
    String bPeer = TestNodes.address("peer-b");
    NodeId bId = NodeId.random(random);
    FileContactStore store = new FileContactStore(dir);
    KadmeshServer b = start(bPeer, bId, List.of(a.addresses().advertised()), store);
    await().atMost(WAIT).until(() -> b.node().contacts().size() == 1);
    b.close();
    Files.delete(dir.resolve("contacts"));

    KadmeshServer restarted = start(bPeer, bId, List.of(), store);

    await().atMost(WAIT).until(() -> restarted.node().contacts().size() == 1);
    assertThat(store.bootstrapAddresses()).containsExactly(a.addresses().advertised());
  }

  @Test
  void nodeStartedAlone_withNothingSaved_serves() {
    KadmeshServer lone = start(TestNodes.address("peer"), NodeId.random(random), List.of(),
        new FileContactStore(dir));

    await().atMost(WAIT).until(() -> health(lone) == ServingStatus.SERVING);
    assertThat(nodes.dht(lone).put(PutRequest.newBuilder().setKey("k")
        .setValue(ByteString.copyFromUtf8("v")).build()).getReplicas()).isEqualTo(1);
  }

  @Test
  void cutOffNode_isNotServing_butItsLivenessHealthNameIsServing() throws Exception {
    FileContactStore store = new FileContactStore(dir);
    store.saveContacts(List.of(new Contact(NodeId.random(random), TestNodes.address("gone"))));

    KadmeshServer node = start(TestNodes.address("peer"), NodeId.random(random), List.of(), store);

    await().atMost(WAIT).until(() -> health(node) == ServingStatus.NOT_SERVING);
    assertThat(HealthGrpc.newBlockingStub(nodes.channel(node.addresses().api()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(KadmeshServer.LIVENESS_HEALTH_NAME).build())
        .getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void cutOffNode_isNotServing_refusesWritesAndUnanswerableGets_thenRejoinsWhenAPeerIsBack()
      throws Exception {
    String gone = TestNodes.address("gone");
    NodeId goneId = NodeId.random(random);
    FileContactStore store = new FileContactStore(dir);
    store.saveContacts(List.of(new Contact(goneId, gone)));

    KadmeshServer node = start(TestNodes.address("peer"), NodeId.random(random), List.of(), store);

    await().atMost(WAIT).until(() -> health(node) == ServingStatus.NOT_SERVING);
    assertThatThrownBy(() -> nodes.dht(node).get(GetRequest.newBuilder().setKey("k").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("reaches no peer");
        });
    assertThatThrownBy(() -> nodes.dht(node).put(PutRequest.newBuilder().setKey("k")
        .setValue(ByteString.copyFromUtf8("v")).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(e.getStatus().getDescription()).contains("reaches no peer");
        });

    // The peer it knew comes back at its address: the node finds it without being told.
    KadmeshServer back = start(gone, goneId, List.of(), null);
    await().atMost(WAIT).until(() -> health(node) == ServingStatus.SERVING);
    assertThat(node.node().contacts()).contains(back.node().self());
    // An empty routing table never wiped out what the node knew.
    assertThat(store.contacts()).isNotEmpty();
  }
}
