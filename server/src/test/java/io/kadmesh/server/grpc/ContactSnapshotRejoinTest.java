package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.server.ContactSnapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A node's contacts saved to its snapshot, and a restarted node rejoining through them. */
class ContactSnapshotRejoinTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final NodeConfig CONFIG = NodeConfig.builder().rpcTimeout(Duration.ofMillis(500)).build();

  @RegisterExtension final TestNodes nodes = new TestNodes();
  @TempDir Path dir;
  private final Random random = new Random(17);

  private KadmeshServer start(String peer, NodeId id, List<String> bootstrap, ContactSnapshot snapshot,
      Duration interval) {
    return nodes.start(CONFIG, b -> {
      String api = TestNodes.address("api");
      b.peerServer(InProcessEndpoints.server(peer), peer)
          .apiServer(InProcessEndpoints.server(api), api)
          .nodeId(id)
          .bootstrap(bootstrap);
      return snapshot == null ? b : b.contactSnapshot(snapshot, interval).dataDirectory(dir);
    });
  }

  @Test
  void snapshot_isWrittenEveryInterval_withTheRoutingTablesContacts() throws Exception {
    KadmeshServer a = nodes.start(CONFIG);
    ContactSnapshot snapshot = new ContactSnapshot(dir.resolve("contacts-b"));
    start(TestNodes.address("peer-b"), NodeId.random(random), List.of(a.addresses().advertised()),
        snapshot, Duration.ofMillis(100));

    await().atMost(WAIT).until(() -> snapshot.read().contains(a.node().self()));
  }

  @Test
  void restartedNode_withNoBootstrap_rejoinsThroughTheContactsItSavedOnClose() throws Exception {
    KadmeshServer a = nodes.start(CONFIG);
    KadmeshServer b = start(TestNodes.address("peer-b"), NodeId.random(random),
        List.of(a.addresses().advertised()), null, null);
    String cPeer = TestNodes.address("peer-c");
    NodeId cId = NodeId.random(random);
    ContactSnapshot snapshot = new ContactSnapshot(dir.resolve("contacts-c"));
    KadmeshServer c = start(cPeer, cId, List.of(a.addresses().advertised()), snapshot, Duration.ofHours(1));
    await().atMost(WAIT).until(() -> c.node().contacts().size() == 2);

    c.close(); // saves the snapshot; the hourly save never ran
    assertThat(snapshot.read()).extracting(Contact::id)
        .containsExactlyInAnyOrder(a.node().self().id(), b.node().self().id());

    KadmeshServer restarted = start(cPeer, cId, List.of(), snapshot, Duration.ofHours(1));
    await().atMost(WAIT).until(() -> restarted.node().contacts().size() == 2);
    assertThat(restarted.node().isJoined()).isTrue();
    assertThat(nodes.dht(restarted).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()).getDataDir())
        .isEqualTo(dir.toString());
  }

  @Test
  void nodeWhoseSavedContactsAreAllGone_andNoBootstrap_servesAlone() throws Exception {
    ContactSnapshot snapshot = new ContactSnapshot(dir.resolve("contacts"));
    snapshot.write(List.of(new Contact(NodeId.random(random), TestNodes.address("gone"))));

    KadmeshServer node = start(TestNodes.address("peer"), NodeId.random(random), List.of(), snapshot,
        Duration.ofHours(1));

    await().atMost(WAIT).until(() -> HealthGrpc.newBlockingStub(nodes.channel(node.addresses().api()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance()).getStatus() == ServingStatus.SERVING);
    // An empty routing table does not wipe out what the node knew.
    node.close();
    assertThat(snapshot.read()).hasSize(1);
  }
}
