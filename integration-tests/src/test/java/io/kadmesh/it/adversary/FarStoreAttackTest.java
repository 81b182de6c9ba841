package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.StoreRequest;
import io.kadmesh.testing.GrpcMesh;
import io.kadmesh.testing.WriteAck;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * STOREs parked on a node that is clearly not among the closest to their key: nobody would ever
 * ask it for them, so they only cost its disk (the "accepts Stores only for keys it is
 * among the closest to"). Without the placement check ({@code Placement.requireAmongClosest}) the
 * STORE below is kept and answered "stored".
 */
class FarStoreAttackTest {
  private static final int NODES = 16;
  private static final int K = 2;
  private static final NodeConfig CONFIG = NodeConfig.builder().k(K).build();
  /**
   * A node is "clearly" far from a key when the k-th closest contact it knows is this many times
   * nearer to the key than itself: past the slack the placement rule allows (4 times, so about
   * rank 4k), by half as much again.
   */
  private static final BigInteger FAR_FACTOR = BigInteger.valueOf(6);

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(43);

  /** An application key and the node that is clearly not among its closest. */
  private record FarKey(String key, int node) {}

  @Test
  void storeForAKeyTheNodeIsClearlyNotCloseTo_isRefusedResourceExhausted_andHonestReplicationStillWorks() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    FarKey far = findFarKey(mesh);
    NodeId key = mesh.node(0).keyOf(far.key());
    HostilePeer parker = arena.hostile(NodeId.random(random));
    StoreRequest store = StoreRequest.newBuilder().setHeader(parker.header())
        .setRecord(HostilePeer.record(key, "parked".getBytes(StandardCharsets.UTF_8), 1, parker.id(),
            Instant.now().plus(Duration.ofHours(1))))
        .build();

    Status refused = Arena.refusal(() -> parker.kademlia(arena.peer(far.node())).store(store));

    assertThat(refused.getCode()).as("%s", refused).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(refused.getDescription()).contains("not among the closest", "--k");
    assertThat(mesh.node(far.node()).store().get(key, Instant.now())).as("parked record").isEmpty();
    // The refusal cost the node nothing: the next peer is served.
    arena.assertServes(far.node());

    // The same key written honestly through the far node lands on the k closest of the mesh.
    WriteAck honest = mesh.put(far.node(), far.key(), "honest");
    assertThat(honest.replicas()).isEqualTo(K);
    List<Integer> closest = IntStream.range(0, NODES).boxed()
        .sorted(Comparator.comparing(i -> mesh.node(i).self().id(), key::compareDistance))
        .limit(K).toList();
    assertThat(closest).as("the %d closest to the key hold it", K)
        .allMatch(i -> mesh.holds(i, key, honest.version()));
  }

  /** The first of a seeded series of keys and a node whose own table shows it clearly far from it. */
  private FarKey findFarKey(GrpcMesh mesh) {
    for (int n = 0; n < 20_000; n++) {
      String candidate = "far-" + n;
      NodeId key = mesh.node(0).keyOf(candidate);
      for (int i = 0; i < NODES; i++) {
        List<Contact> known = mesh.node(i).routingTable().closest(key, K);
        if (known.size() == K && distance(known.get(K - 1).id(), key).multiply(FAR_FACTOR)
            .compareTo(distance(mesh.node(i).self().id(), key)) < 0) {
          return new FarKey(candidate, i);
        }
      }
    }
    throw new AssertionError("no node is clearly far from any of 20,000 keys: is the mesh joined?");
  }

  private static BigInteger distance(NodeId a, NodeId b) {
    return new BigInteger(1, a.xor(b).toBytes());
  }
}
