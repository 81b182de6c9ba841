package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.testing.GrpcMesh;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Headers that lie about who is calling: a sender that claims the receiver's own ID, or comes
 * from another network, never enters a routing table, and the node keeps serving.
 */
class ForgedHeaderAttackTest {
  private static final int NODES = 4;
  private static final NodeConfig CONFIG = NodeConfig.builder().k(2 * NODES).build();

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(29);

  @Test
  void senderClaimingTheReceiversOwnId_isNotAdmitted_andTheReceiverKeepsServing() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    NodeId own = mesh.node(1).self().id();
    HostilePeer impostor = arena.hostile(NodeId.random(random)).serve();

    try {
      impostor.kademlia(arena.peer(1)).ping(PingRequest.newBuilder().setHeader(impostor.headerAs(own, impostor.address())).build());
    } catch (StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isIn(Status.Code.INVALID_ARGUMENT, Status.Code.FAILED_PRECONDITION);
    }

    assertThat(mesh.node(1).routingTable().find(own)).as("node 1 in its own table").isNull();
    arena.assertEveryNodeHolds("self-claim", mesh.put(1, "self-claim", "v"));
  }

  @Test
  void pingFromAnotherNetwork_isRefusedFailedPrecondition_andItsSenderIsNotAdmitted() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    HostilePeer stranger = new HostilePeer(NodeId.random(random), "another-network");
    arena.register(stranger.serve());

    Status refused = Arena.refusal(() -> stranger.introduceTo(arena.peer(0)));

    assertThat(refused.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(refused.getDescription()).contains("another-network");
    assertThat(mesh.node(0).routingTable().find(stranger.id())).isNull();
  }
}
