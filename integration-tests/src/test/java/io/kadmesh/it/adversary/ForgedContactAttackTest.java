package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.testing.GrpcMesh;
import io.kadmesh.testing.WriteAck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forged contacts over Netty: a request's self-declared sender and a peer's FindNode answer are
 * claims, and neither steers a node's routing table nor makes it hold channels open to strangers.
 * Before contacts had to earn their place, every one of these failed: the forged senders entered
 * the table (a put then reached 1 replica of 3), the known ID moved to the dead address, and the
 * 3,000-contact answer left thousands of channels open.
 */
class ForgedContactAttackTest {
  private static final int NODES = 4;
  /** k leaves room for one more than the mesh: the witness of {@link #awaitChecksSettled} claims to store. */
  private static final NodeConfig CONFIG = NodeConfig.builder().k(NODES + 1)
      .rpcTimeout(Duration.ofSeconds(1)).build();

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(31);

  /** Every check node {@code i} started so far is over once an honest newcomer pinging after them is admitted. */
  private void awaitChecksSettled(int i) {
    HostilePeer witness = arena.hostile(NodeId.random(random)).serve();
    witness.introduceTo(arena.peer(i));
    arena.mesh().awaitUntil(() -> arena.mesh().node(i).routingTable().find(witness.id()) != null,
        Arena.ADMISSION);
  }

  private static Set<NodeId> idsInTable(GrpcMesh mesh, int i) {
    Set<NodeId> out = new HashSet<>();
    for (Contact c : mesh.node(i).routingTable().contacts()) out.add(c.id());
    for (int b = 0; b < NodeId.BITS; b++) {
      for (Contact c : mesh.node(i).routingTable().replacements(b)) out.add(c.id());
    }
    return out;
  }

  @Test
  void sixtyForgedPingsWithDeadAddresses_neverEnterTheTable_andTheNextPutReachesEveryReplica() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    HostilePeer forger = arena.hostile(NodeId.random(random));
    List<NodeId> forged = new ArrayList<>();
    List<String> dead = Arena.deadAddresses(60);
    for (String address : dead) {
      NodeId id = NodeId.random(random);
      forged.add(id);
      forger.kademlia(arena.peer(0)).ping(PingRequest.newBuilder()
          .setHeader(forger.headerAs(id, address)).build());
    }
    awaitChecksSettled(0);

    assertThat(idsInTable(mesh, 0)).doesNotContainAnyElementsOf(forged);
    WriteAck put = mesh.put(0, "after-forged-pings", "v");
    assertThat(put.replicas()).isEqualTo(NODES + 1);
    arena.assertEveryNodeHolds("after-forged-pings", put);
  }

  @Test
  void aForgedPingWithAKnownIdAndADeadAddress_leavesTheRealContactWhereItIs() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    Contact real = mesh.node(1).self();
    assertThat(mesh.node(0).routingTable().find(real.id())).isEqualTo(real);
    HostilePeer forger = arena.hostile(NodeId.random(random));

    forger.kademlia(arena.peer(0)).ping(PingRequest.newBuilder()
        .setHeader(forger.headerAs(real.id(), Arena.deadAddresses(1).get(0))).build());
    awaitChecksSettled(0);

    assertThat(mesh.node(0).routingTable().find(real.id())).isEqualTo(real);
    arena.assertEveryNodeHolds("after-forged-id", mesh.put(0, "after-forged-id", "v"));
  }

  /**
   * 1,000 contacts fit in a message (about 60 KB): at most k of them become candidates. 3,000 do
   * not (about 180 KB): the message limit refuses the answer before it is parsed.
   */
  @ParameterizedTest
  @ValueSource(ints = {1000, 3000})
  void aFindNodeAnswerOfThousandsOfContacts_opensAtMostKChannels_andAdmitsNone(int count) {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    List<io.kadmesh.proto.v1.Contact> flood = new ArrayList<>();
    Set<NodeId> floodIds = new HashSet<>();
    for (String address : Arena.deadAddresses(count)) {
      NodeId id = NodeId.random(random);
      floodIds.add(id);
      flood.add(HostilePeer.contact(id, address));
    }
    HostilePeer liar = arena.admittedHostile(NodeId.random(random)).answeringFindNode(target -> flood);
    int before = mesh.openPeerChannels(0);

    // A put looks up the k closest: node 0 asks the liar, among others, and still reaches every node.
    arena.assertEveryNodeHolds("through-a-liar", mesh.put(0, "through-a-liar", "v"));

    int after = mesh.openPeerChannels(0);
    System.out.printf("%,d-contact FindNode answer: node 0 open peer channels %d before, %d after"
        + " (table %d)%n", count, before, after, mesh.node(0).routingTable().size());
    assertThat(after).isLessThanOrEqualTo(before + CONFIG.k());
    assertThat(idsInTable(mesh, 0)).doesNotContainAnyElementsOf(floodIds);
    assertThat(liar.id()).isIn(idsInTable(mesh, 0));
  }
}
