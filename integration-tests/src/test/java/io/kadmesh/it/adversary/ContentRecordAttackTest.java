package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.client.ContentEntry;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.testing.GrpcMesh;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attack on content-addressed records: a value that does not hash to the key it is
 * offered under, sent in a STORE, answered to FindValue, or planted in a node's store to wait for
 * republish. A content key names one value for good; without the hash check of the record gate
 * ({@code Limits.checkProof}) each of these would replace it, or invent a value for a key nobody
 * wrote. The honest value is written through the Dht API ({@code KadmeshClient.putContent}).
 */
class ContentRecordAttackTest {
  private static final int NODES = 4;
  /** Every node is a replica of every key, and every Get asks each (so read repair reaches each). */
  private static final NodeConfig CONFIG = NodeConfig.builder().k(2 * NODES).getQuorum(2 * NODES).build();
  /** {@link #CONFIG}, republishing every second. */
  private static final NodeConfig REPUBLISHING = NodeConfig.builder().k(2 * NODES).getQuorum(2 * NODES)
      .republishInterval(Duration.ofSeconds(1)).build();
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final io.kadmesh.proto.v1.RecordKind CONTENT = io.kadmesh.proto.v1.RecordKind.RECORD_KIND_CONTENT;
  private static final String UNHASHED = "record.key is not SHA-256(value)";

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(59);

  @Test
  void storeOfAValueThatDoesNotHashToItsKey_isRefusedInvalidArgument_andGetContentStillAnswersTheValue() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    NodeId key = NodeId.fromHex(mesh.client(0).putContent(bytes("real")).keyHex());
    mesh.awaitUntil(() -> allHold(mesh, key, "real"), SETTLE);
    NodeId unwritten = contentKey("never written");
    HostilePeer attacker = arena.hostile(NodeId.random(random));
    Instant hour = Instant.now().plus(Duration.ofHours(1));

    for (NodeId target : List.of(key, unwritten)) {
      for (int i = 0; i < NODES; i++) {
        int node = i;
        Status refused = Arena.refusal(() -> attacker.store(arena.peer(node),
            HostilePeer.contentRecord(target, bytes("fake"), micros(Instant.now()), attacker.id(), hour)));
        assertThat(refused.getCode()).as("fake under %s stored on node %d: %s", target.shortHex(), i, refused)
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getDescription()).contains(UNHASHED);
      }
    }

    for (int i = 0; i < NODES; i++) {
      assertThat(getContent(mesh, i, key)).as("GetContent through node %d", i).contains("real");
      assertThat(getContent(mesh, i, unwritten)).as("GetContent of an unwritten key through node %d", i).isEmpty();
      assertThat(mesh.node(i).store().get(unwritten, RecordKind.CONTENT, Instant.now()))
          .as("unwritten key held by node %d", i).isEmpty();
    }
    arena.assertServes(1);
  }

  @Test
  void findValueAnswerWithAValueThatDoesNotHashToItsKey_isNeitherReturnedNorRepaired() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    HostilePeer liar = arena.admittedHostile(NodeId.random(random));
    Instant hour = Instant.now().plus(Duration.ofHours(1));
    liar.answeringFindValue(k ->
        HostilePeer.contentRecord(k, bytes("fake"), micros(Instant.now()), liar.id(), hour));
    NodeId key = NodeId.fromHex(mesh.client(0).putContent(bytes("real")).keyHex());
    mesh.awaitUntil(() -> allHold(mesh, key, "real"), SETTLE);
    NodeId unwritten = contentKey("never written");

    for (int i = 0; i < NODES; i++) {
      assertThat(getContent(mesh, i, key)).as("GetContent through node %d", i).contains("real");
      assertThat(getContent(mesh, i, unwritten)).as("GetContent of an unwritten key through node %d", i).isEmpty();
    }
    assertThat(liar.findValueCalls()).as("the liar was asked").isPositive();
    for (int i = 0; i < NODES; i++) {
      assertThat(liar.findValue(arena.peer(i), key, CONTENT).getRecord().getValue().toStringUtf8())
          .as("value node %d serves", i).isEqualTo("real");
      assertThat(liar.findValue(arena.peer(i), unwritten, CONTENT).hasRecord())
          .as("record of the unwritten key node %d serves", i).isFalse();
    }
    assertThat(allHold(mesh, key, "real")).as("every node holds the real value after the reads' repairs").isTrue();
  }

  /**
   * Behind the gate: a record a node's own store holds (an older build kept it, or the disk went
   * bad). A node checks it again before it serves or republishes it ({@code Limits.admits}).
   */
  @Test
  void aValueThatDoesNotHashPlantedInANodesStore_isNeitherServedNorRepublished_whileAnHonestOneIs() {
    GrpcMesh mesh = arena.start(NODES, REPUBLISHING);
    arena.awaitFullTables();
    // In every table, so among the k closest to every key: it sees every STORE a node sends.
    HostilePeer witness = arena.admittedHostile(NodeId.random(random));
    NodeId planter = mesh.node(0).self().id();
    Instant hour = Instant.now().plus(Duration.ofHours(1));
    Version version = new Version(micros(Instant.now()), planter);
    ValueRecord honest = ValueRecord.content(contentKey("honest"), bytes("honest"), version, hour);
    ValueRecord unhashed = ValueRecord.content(contentKey("wanted"), bytes("fake"), version, hour);
    // The honest record last: a round that sees it sees the other too.
    mesh.node(0).store().put(unhashed);
    mesh.node(0).store().put(honest);

    // A round filters a page before it sends anything: the one that sent the honest record passed
    // over the other. Another honest record, planted after that, goes out in a later round, which
    // starts only once that round had every STORE it sent answered.
    mesh.awaitUntil(() -> witness.receivedStore(planter, honest.key()), SETTLE);
    ValueRecord later = ValueRecord.content(contentKey("later"), bytes("later"), version, hour);
    mesh.node(0).store().put(later);
    mesh.awaitUntil(() -> witness.receivedStore(planter, later.key()), SETTLE);
    mesh.awaitUntil(() -> allHold(mesh, honest.key(), "honest"), SETTLE);

    assertThat(witness.storesReceived()).extracting(s -> s.record().getKey())
        .as("keys STOREd to the witness").doesNotContain(HostilePeer.bytes(unhashed.key()));
    for (int i = 0; i < NODES; i++) {
      assertThat(witness.findValue(arena.peer(i), unhashed.key(), CONTENT).hasRecord())
          .as("planted record served by node %d", i).isFalse();
      if (i > 0) {
        assertThat(mesh.node(i).store().get(unhashed.key(), RecordKind.CONTENT, Instant.now()))
            .as("planted record held by node %d", i).isEmpty();
      }
      assertThat(getContent(mesh, i, unhashed.key())).as("GetContent of the planted key through node %d", i)
          .isEmpty();
    }
  }

  /** Whether every node holds the content record of {@code key} with {@code value}. */
  private static boolean allHold(GrpcMesh mesh, NodeId key, String value) {
    return mesh.running().stream().allMatch(i -> mesh.node(i).store().get(key, RecordKind.CONTENT, Instant.now())
        .filter(r -> new String(r.valueUnsafe(), StandardCharsets.UTF_8).equals(value)).isPresent());
  }

  private static Optional<String> getContent(GrpcMesh mesh, int node, NodeId key) {
    return mesh.client(node).getContent(key.toBytes()).map(ContentEntry::valueAsString);
  }

  /** The content key of {@code value}'s UTF-8 bytes: SHA-256 of them. */
  private static NodeId contentKey(String value) {
    return NodeId.fromBytes(RecordKeys.contentKey(bytes(value)));
  }

  private static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
