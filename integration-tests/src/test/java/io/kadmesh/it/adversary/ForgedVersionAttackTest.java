package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.testing.Found;
import io.kadmesh.testing.GrpcMesh;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Versions from the far future, the attack that locked a key for a week: a STORE sent straight to
 * a replica, and a FindValue answer of a peer in every table. Both are refused by the record gate,
 * and the honest writer keeps its key.
 */
class ForgedVersionAttackTest {
  private static final int NODES = 4;
  private static final NodeConfig CONFIG = NodeConfig.builder().k(2 * NODES).build();
  private static final long YEAR_2100 = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli() * 1000;

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(31);

  @Test
  void storeOfAVersionFromTheYear2100OrTheLargestSequence_isRefused_andHonestWritesStillWin() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    mesh.put(0, "k1", "honest");
    NodeId key = mesh.node(0).keyOf("k1");
    HostilePeer attacker = arena.hostile(NodeId.random(random));
    Instant expiry = Instant.now().plus(Duration.ofHours(1));

    for (long sequence : new long[] {YEAR_2100, Long.MAX_VALUE}) {
      Status refused = Arena.refusal(() -> attacker.store(arena.peer(1),
          HostilePeer.record(key, bytes("forged"), sequence, attacker.id(), expiry)));
      assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getDescription()).contains("--max-clock-skew");
    }

    for (int i = 0; i < NODES; i++) {
      assertThat(mesh.get(i, "k1")).map(Found::valueAsString).as("get through node %d", i).contains("honest");
    }
    arena.assertEveryNodeHolds("k1", mesh.put(2, "k1", "later"));
    mesh.delete(3, "k1");
    assertThat(mesh.get(1, "k1")).isEmpty();
  }

  @Test
  void findValueAnswerWithAForgedVersionOrAnOversizedValue_isNeverReturnedNorRepaired() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    HostilePeer liar = arena.admittedHostile(NodeId.random(random));
    Instant forever = Instant.parse("9999-12-31T00:00:00Z");
    Instant hour = Instant.now().plus(Duration.ofHours(1));
    liar.answeringFindValue(key -> key.equals(mesh.node(0).keyOf("big"))
        ? HostilePeer.record(key, new byte[200_000], Long.MAX_VALUE, liar.id(), forever)
        : HostilePeer.record(key, bytes("forged"), YEAR_2100, liar.id(), hour));

    for (String key : new String[] {"small", "big"}) {
      mesh.put(0, key, "honest");
      for (int i = 0; i < NODES; i++) {
        assertThat(mesh.get(i, key)).map(Found::valueAsString).as("%s through node %d", key, i)
            .contains("honest");
      }
    }
    assertThat(liar.findValueCalls()).as("the liar was asked").isPositive();
    for (int i = 0; i < NODES; i++) {
      for (String key : new String[] {"small", "big"}) {
        assertThat(mesh.node(i).store().get(mesh.node(i).keyOf(key), Instant.now())
                .map(r -> r.version().writer()))
            .as("writer of %s held by node %d", key, i)
            .isNotEqualTo(java.util.Optional.of(liar.id()));
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
