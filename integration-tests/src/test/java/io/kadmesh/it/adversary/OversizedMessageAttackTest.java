package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.testing.GrpcMesh;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inbound messages on both ports are bounded at about the value limit plus headroom, and an
 * oversized one costs the node nothing: it answers the next valid call. (Before the issue: both
 * servers read messages up to gRPC's 4 MiB default, so the 1 MiB messages were read and answered;
 * only the 5 MiB ones were refused.)
 */
class OversizedMessageAttackTest {
  private static final int NODES = 3;

  @RegisterExtension final Arena arena = new Arena();

  @Test
  void fiveMebibyteMessageToEitherPort_isRefusedResourceExhausted_andTheNodeAnswersTheNextCall() {
    assertRefusedOnBothPorts(5 << 20);
  }

  @Test
  void oneMebibyteMessageToEitherPort_isRefusedResourceExhausted_andTheNodeAnswersTheNextCall() {
    // Under gRPC's default 4 MiB: only this node's own limit (MessageLimits) refuses it.
    assertRefusedOnBothPorts(1 << 20);
  }

  /**
   * A peer in every table answers FindValue with a record that passes every check, padded to
   * 1 MiB: each node's peer channel refuses the answer before reading it, so no get returns it.
   * Without the limit on the channel (the testing mesh's channels were built without it until
   * they went through {@code NettyEndpoints.peerChannel}) the get returns the peer's value.
   */
  @Test
  void findValueAnswerPaddedTo1Mebibyte_isRefusedByTheCallersChannel_andNeverReturned() {
    GrpcMesh mesh = arena.start(NODES, NodeConfig.builder().k(2 * NODES).build());
    HostilePeer padder = arena.admittedHostile(NodeId.random(new Random(17)));
    Instant now = Instant.now();
    long sequence = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    padder.paddingAnswers(1 << 20).answeringFindValue(key ->
        HostilePeer.record(key, "padded".getBytes(StandardCharsets.UTF_8), sequence, padder.id(),
            now.plus(Duration.ofHours(1))));

    for (int i = 0; i < NODES; i++) {
      assertThat(mesh.get(i, "padded")).as("get through node %d", i).isEmpty();
    }
    assertThat(padder.findValueCalls()).as("the padder was asked").isPositive();
    // An answer over the limit is the padder's failure, not a live peer's refusal: after a few
    // more it is stale and no longer asked (it would keep its place if it counted as a refusal).
    for (int i = 0; i < mesh.config().maxFailures(); i++) {
      mesh.get(0, "padded-" + i);
    }
    assertThat(mesh.node(0).routingTable().staleContacts()).extracting(c -> c.id()).contains(padder.id());
    arena.assertEveryNodeHolds("padded", mesh.put(0, "padded", "honest"));
  }

  private void assertRefusedOnBothPorts(int size) {
    GrpcMesh mesh = arena.start(NODES, NodeConfig.defaults());
    HostilePeer sender = arena.hostile(NodeId.random(new Random(size)));
    byte[] ping = padded(PingRequest.newBuilder().setHeader(sender.anonymousHeader()).build().toByteArray(), size);
    byte[] get = padded(GetRequest.newBuilder().setKey("k").build().toByteArray(), size);

    Status peer = Arena.refusal(() -> sender.sendRaw(arena.peer(0), KademliaGrpc.getPingMethod(), ping));
    Status api = Arena.refusal(() -> sender.sendRaw(arena.api(0), DhtGrpc.getGetMethod(), get));

    assertThat(peer.getCode()).as("peer port: %s", peer).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(api.getCode()).as("API port: %s", api).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    arena.assertServes(0);
    assertThat(mesh.put(0, "after-the-big-one", "v").replicas()).isEqualTo(NODES);
    assertThat(mesh.get(0, "after-the-big-one")).isPresent();
  }

  /** {@code message} followed by an unknown length-delimited field (number 15): {@code size} bytes in all. */
  private static byte[] padded(byte[] message, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 16);
    out.writeBytes(message);
    out.write((15 << 3) | 2);
    int length = size - message.length - 1 - 4;
    // The length as a varint of exactly four bytes (lengths up to 2^28).
    out.write((length & 0x7f) | 0x80);
    out.write(((length >>> 7) & 0x7f) | 0x80);
    out.write(((length >>> 14) & 0x7f) | 0x80);
    out.write((length >>> 21) & 0x7f);
    out.writeBytes(new byte[length]);
    return out.toByteArray();
  }
}
