package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.testing.Found;
import io.kadmesh.testing.GrpcMesh;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "one answer poisons a key everywhere", read first: a peer in every table answers
 * FindValue for keys nobody has written yet, with a forged far-future version or a 200,000-byte
 * value that never expires. {@link ForgedVersionAttackTest} puts first, and an honest copy then
 * outranks nothing the liar says; only a Get before any put shows whether the answer itself is
 * checked. Without the record gate on FindValue answers ({@code Lookups.checkedFindValue}) the
 * first Get returns the fake and read repair stores it on the real nodes.
 */
class PoisonedAnswerAttackTest {
  private static final int NODES = 4;
  private static final NodeConfig CONFIG = NodeConfig.builder().k(2 * NODES).build();
  private static final long YEAR_2100_MICROS = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli() * 1000;
  private static final Instant FOREVER = Instant.parse("9999-12-31T00:00:00Z");

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(37);

  @Test
  void findValueLieForAKeyNobodyWrote_isNeitherReturnedNorStored_andTheLaterHonestPutIsReadEverywhere() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    HostilePeer liar = arena.admittedHostile(NodeId.random(random));
    NodeId big = mesh.node(0).keyOf("big");
    liar.answeringFindValue(key -> key.equals(big)
        ? HostilePeer.record(key, new byte[200_000], Long.MAX_VALUE, liar.id(), FOREVER)
        : HostilePeer.record(key, bytes("forged"), YEAR_2100_MICROS, liar.id(),
            Instant.now().plus(Duration.ofHours(1))));

    for (String key : new String[] {"small", "big"}) {
      for (int i = 0; i < NODES; i++) {
        assertThat(mesh.get(i, key)).as("%s through node %d before any put", key, i).isEmpty();
      }
    }
    assertThat(liar.findValueCalls()).as("the liar was asked").isPositive();
    for (String key : new String[] {"small", "big"}) {
      for (int i = 0; i < NODES; i++) {
        assertThat(held(mesh, i, key)).as("%s held by node %d after the reads", key, i).isEmpty();
      }
    }

    for (String key : new String[] {"small", "big"}) {
      arena.assertEveryNodeHolds(key, mesh.put(1, key, "honest"));
      for (int i = 0; i < NODES; i++) {
        assertThat(mesh.get(i, key)).map(Found::valueAsString).as("%s through node %d after the put", key, i)
            .contains("honest");
      }
    }
  }

  private static Optional<ValueRecord> held(GrpcMesh mesh, int node, String key) {
    return mesh.node(node).store().get(mesh.node(node).keyOf(key), Instant.now());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
