package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.PeerMessages.contact;
import static io.kadmesh.server.grpc.PeerMessages.header;
import static io.kadmesh.server.grpc.PeerMessages.ping;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.PutRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forged-contact attacks, replayed over the in-process transport: a request's
 * self-declared sender, or a peer's answer, cannot steer a node's routing table or its channels.
 */
class ForgedContactsTest {
  private static final Duration WAIT = Duration.ofSeconds(TestNodes.CALL_DEADLINE_SECONDS);
  private static final NodeConfig CONFIG = NodeConfig.builder().rpcTimeout(Duration.ofSeconds(1)).build();

  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final Random random = new Random(8);

  /** Three nodes: b and c joined through a, and a knows both. */
  private List<KadmeshServer> mesh() throws Exception {
    KadmeshServer a = nodes.start(CONFIG);
    KadmeshServer b = nodes.start(CONFIG);
    KadmeshServer c = nodes.start(CONFIG);
    b.node().join(List.of(a.addresses().peer())).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    c.node().join(List.of(a.addresses().peer())).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    await().atMost(WAIT).until(() -> a.node().contacts().size() == 2);
    return List.of(a, b, c);
  }

  /**
   * Every check started before now is over once a real peer pinging after them is admitted:
   * the node checks claims as they come, and a dead in-process address fails at once.
   */
  private void awaitChecksSettled(KadmeshServer node) {
    io.kadmesh.proto.v1.Contact witness = nodes.answeringPeer(NodeId.random(random));
    nodes.kademlia(node).ping(ping(header(witness)));
    await().atMost(WAIT).until(() -> node.node().contacts().stream()
        .anyMatch(c -> c.address().equals(witness.getAddress())));
  }

  private static Set<Contact> everyContactAndReplacement(RoutingTable table) {
    Set<Contact> out = new HashSet<>(table.contacts());
    for (int i = 0; i < NodeId.BITS; i++) out.addAll(table.replacements(i));
    return out;
  }

  @Test
  void sixtyForgedPingsWithDeadAddresses_leaveTheTableAlone_andAPutStillReachesThreeReplicas()
      throws Exception {
    List<KadmeshServer> mesh = mesh();
    KadmeshServer a = mesh.get(0);
    List<Contact> before = a.node().contacts();
    for (int i = 0; i < 60; i++) {
      nodes.kademlia(a).ping(ping(header(contact(NodeId.random(random), TestNodes.address("dead")))));
    }
    awaitChecksSettled(a);

    Set<Contact> after = everyContactAndReplacement(a.node().routingTable());
    assertThat(after).containsAll(before).hasSize(before.size() + 1);
    int replicas = nodes.dht(a).put(PutRequest.newBuilder().setKey("k1")
        .setValue(ByteString.copyFromUtf8("v")).build()).getReplicas();
    assertThat(replicas).isEqualTo(3);
  }

  @Test
  void aForgedPingWithAKnownIdAndADeadAddress_leavesTheRealContactsAddress() throws Exception {
    List<KadmeshServer> mesh = mesh();
    KadmeshServer a = mesh.get(0);
    Contact real = mesh.get(1).node().self();

    nodes.kademlia(a).ping(ping(header(contact(real.id(), TestNodes.address("dead")))));
    awaitChecksSettled(a);

    assertThat(a.node().routingTable().find(real.id())).isEqualTo(real);
  }

  @Test
  void aKnownIdAnsweringAtANewAddress_whileTheOldOneStillAnswers_keepsTheOldAddress() throws Exception {
    List<KadmeshServer> mesh = mesh();
    KadmeshServer a = mesh.get(0);
    Contact real = mesh.get(1).node().self();
    // A second process that answers with the real node's ID: the claim is "verified", yet the
    // node it would displace is alive.
    io.kadmesh.proto.v1.Contact twin = nodes.answeringPeer(real.id());

    nodes.kademlia(a).ping(ping(header(twin)));
    awaitChecksSettled(a);

    assertThat(a.node().routingTable().find(real.id())).isEqualTo(real);
  }

  @Test
  void aFindNodeAnswerOfThreeThousandContacts_makesAtMostKOfThemCandidates_andLeavesNoChannelOpenToThem()
      throws Exception {
    Set<String> dialled = Collections.synchronizedSet(new HashSet<>());
    List<ManagedChannel> opened = Collections.synchronizedList(new ArrayList<>());
    Function<String, ManagedChannel> recording = address -> {
      dialled.add(address);
      ManagedChannel channel = InProcessChannelBuilder.forName(address).build();
      opened.add(channel);
      return channel;
    };
    KadmeshServer node = nodes.start(CONFIG, b -> b.channelFactory(recording));
    List<io.kadmesh.proto.v1.Contact> flood = new ArrayList<>();
    Set<String> fakeAddresses = new HashSet<>();
    for (int i = 0; i < 3000; i++) {
      io.kadmesh.proto.v1.Contact fake = contact(NodeId.random(random), TestNodes.address("fake"));
      flood.add(fake);
      fakeAddresses.add(fake.getAddress());
    }
    io.kadmesh.proto.v1.Contact liar = nodes.answeringPeer(NodeId.random(random), flood);
    nodes.kademlia(node).ping(ping(header(liar)));
    await().atMost(WAIT).until(() -> node.node().contacts().size() == 1);

    try {
      nodes.dht(node).get(GetRequest.newBuilder().setKey("any").build());
    } catch (io.grpc.StatusRuntimeException e) {
      // The liar was the only peer, and every contact it named failed: the lookup distrusts it,
      // so no peer answered, which is not a "not found".
      assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
    }

    dialled.retainAll(fakeAddresses);
    assertThat(dialled).hasSizeLessThanOrEqualTo(node.node().config().k());
    // A request that stalled past the lookup's end releases its channel when it settles.
    await().atMost(WAIT).untilAsserted(() -> {
      long open;
      synchronized (opened) {
        open = opened.stream().filter(c -> !c.isShutdown()).count();
      }
      assertThat(open).isLessThanOrEqualTo(node.node().contacts().size() + 1);
    });
  }
}
