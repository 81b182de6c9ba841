package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.kadmesh.client.SignedEntry;
import io.kadmesh.client.SignedRecords;
import io.kadmesh.client.SignedWriteResult;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.StoreResponse;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import io.kadmesh.testing.GrpcMesh;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The attacks on a signed record, by a peer that speaks the peer protocol but holds no
 * owner's private key. The owner writes through the Dht API ({@code KadmeshClient.signedBy}); the
 * attacker then STOREs a forged signature, another key's valid signature under the owner's key ID,
 * the owner's signature moved onto another value, expiry or seq, an older seq the owner did sign,
 * a rival the owner signed at the same seq, and a plain record under the key ID; it answers
 * FindValue with forgeries of the highest seq; and forgeries planted in a node's store wait for
 * republish. Every proof is checked by the record gate ({@code Limits.checkIncoming}): a proof that
 * fails is INVALID_ARGUMENT, a seq that loses is stored=false with held_seq, and the owner's
 * GetSigned answers the owner's record throughout.
 */
class SignedRecordAttackTest {
  private static final int NODES = 4;
  /** Every node is a replica of every key, and every Get asks each (so read repair reaches each). */
  private static final NodeConfig CONFIG = NodeConfig.builder().k(2 * NODES).getQuorum(2 * NODES).build();
  /** {@link #CONFIG}, republishing every second. */
  private static final NodeConfig REPUBLISHING = NodeConfig.builder().k(2 * NODES).getQuorum(2 * NODES)
      .republishInterval(Duration.ofSeconds(1)).build();
  /** How long replicas may take to converge, or a node to republish. */
  private static final Duration SETTLE = Duration.ofSeconds(20);
  private static final String NAME = "profile";
  private static final io.kadmesh.proto.v1.RecordKind SIGNED = io.kadmesh.proto.v1.RecordKind.RECORD_KIND_SIGNED;
  private static final io.kadmesh.proto.v1.RecordKind PLAIN =
      io.kadmesh.proto.v1.RecordKind.RECORD_KIND_UNSPECIFIED;
  private static final String FORGED = "record.signature does not verify";
  private static final String MISBOUND = "record.key is not SHA-256(public_key ‖ name)";

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(53);
  private final KeyPair owner = Ed25519Keys.generate();
  private final byte[] ownerKey = Ed25519Keys.raw(owner.getPublic());
  private final KeyPair attackerKeys = Ed25519Keys.generate();
  private final byte[] attackerKey = Ed25519Keys.raw(attackerKeys.getPublic());

  /** A record the attacker sends, what it tries, and the refusal the gate must name. */
  private record Forgery(String attack, PeerRecord record, String refusal) {}

  @Test
  void storeOfAForgedSignature_anotherKeysSignature_orTheOwnersSignatureOnOtherFields_isRefusedInvalidArgument() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    SignedWriteResult written = owned(mesh, 0).put(NAME, "genuine");
    NodeId key = signedKey(ownerKey, NAME);
    mesh.awaitUntil(() -> allHold(mesh, key, 1), SETTLE);
    HostilePeer attacker = arena.hostile(NodeId.random(random));
    PeerRecord genuine = attacker.findValue(arena.peer(1), key, SIGNED).getRecord();
    assertThat(genuine.getSignature().getSeq()).isEqualTo(written.seq()).isEqualTo(1);
    long seq = written.seq();
    long expiry = written.expiresAt().getEpochSecond();
    ByteString forged = bytes("forged");

    List<Forgery> forgeries = List.of(
        new Forgery("the owner's key, the attacker's signature, a higher seq",
            signed(key, ownerKey, NAME, seq + 1, forged, expiry, attackerKeys), FORGED),
        new Forgery("the owner's key, the attacker's signature, the same seq",
            signed(key, ownerKey, NAME, seq, forged, expiry, attackerKeys), FORGED),
        new Forgery("the owner's signature on another value at the same seq",
            genuine.toBuilder().setValue(forged).build(), FORGED),
        new Forgery("the owner's signature with its seq raised",
            genuine.toBuilder().setSignature(genuine.getSignature().toBuilder().setSeq(seq + 1)).build(), FORGED),
        new Forgery("the owner's signature with a later expiry",
            genuine.toBuilder().setExpiresAt(Timestamp.newBuilder().setSeconds(expiry + 3600)).build(), FORGED),
        new Forgery("the owner's signature on a tombstone",
            genuine.toBuilder().setValue(ByteString.EMPTY).setTombstone(true).build(), FORGED),
        new Forgery("the attacker's valid signature under the owner's key ID",
            signed(key, attackerKey, NAME, seq + 1, forged, expiry, attackerKeys), MISBOUND),
        new Forgery("a signed record with no signature at all",
            genuine.toBuilder().clearSignature().build(), "signature is required"));

    for (Forgery f : forgeries) {
      for (int i = 0; i < NODES; i++) {
        int node = i;
        Status refused = Arena.refusal(() -> attacker.store(arena.peer(node), f.record()));
        assertThat(refused.getCode()).as("%s, stored on node %d: %s", f.attack(), i, refused)
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(refused.getDescription()).as("%s, stored on node %d", f.attack(), i).contains(f.refusal());
      }
    }

    for (int i = 0; i < NODES; i++) {
      assertThat(attacker.findValue(arena.peer(i), key, SIGNED).getRecord()).as("record node %d serves", i)
          .isEqualTo(genuine);
      assertThat(getSigned(mesh, i, NAME)).as("GetSigned through node %d", i)
          .extracting(SignedEntry::seq, SignedEntry::valueAsString).containsExactly(1L, "genuine");
    }
    arena.assertServes(1);
  }

  @Test
  void storeOfAnOlderSeqTheOwnerSigned_isNotKept_andAnswersTheSeqHeld() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    NodeId key = signedKey(ownerKey, NAME);
    HostilePeer attacker = arena.hostile(NodeId.random(random));
    owned(mesh, 0).put(NAME, "first");
    mesh.awaitUntil(() -> allHold(mesh, key, 1), SETTLE);
    // Captured off the wire, as anyone may read it.
    PeerRecord first = attacker.findValue(arena.peer(1), key, SIGNED).getRecord();
    assertThat(owned(mesh, 0).put(NAME, "second").seq()).isEqualTo(2);
    mesh.awaitUntil(() -> allHold(mesh, key, 2), SETTLE);

    for (int i = 0; i < NODES; i++) {
      StoreResponse replayed = attacker.storeAnswer(arena.peer(i), first);
      assertThat(replayed.getStored()).as("seq 1 stored on node %d", i).isFalse();
      assertThat(replayed.getHeldSeq()).as("held_seq answered by node %d", i).isEqualTo(2);
      assertThat(replayed.hasHeld()).as("a version answered by node %d", i).isFalse();
    }
    assertEveryNodeReads(mesh, 2, "second", "");
  }

  /**
   * The one case that may win: two of the owner's own writers raced at one seq, and the attacker
   * replays the record that lost to the one replicas hold, or the one that beats it. Replicas order
   * equal seqs by SHA-256 of the signature, so whichever they keep, they all keep the same one,
   * and it is a record the owner signed.
   */
  @Test
  void storeOfARivalTheOwnerSignedAtTheSameSeq_winsOnlyByItsSignatureDigest_andEveryReplicaConvergesOnIt() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    NodeId key = signedKey(ownerKey, NAME);
    HostilePeer attacker = arena.hostile(NodeId.random(random));
    owned(mesh, 0).put(NAME, "genuine");
    mesh.awaitUntil(() -> allHold(mesh, key, 1), SETTLE);
    ValueRecord held = mesh.node(0).store().get(key, RecordKind.SIGNED, Instant.now()).orElseThrow();
    ValueRecord loser = ownerRival(held, false);
    ValueRecord winner = ownerRival(held, true);

    for (int i = 0; i < NODES; i++) {
      StoreResponse lost = attacker.storeAnswer(arena.peer(i), wire(loser));
      assertThat(lost.getStored()).as("losing rival stored on node %d", i).isFalse();
      assertThat(lost.getHeldSeq()).as("held_seq answered by node %d", i).isEqualTo(1);
    }
    assertThat(attacker.storeAnswer(arena.peer(1), wire(winner)).getStored()).as("winning rival stored")
        .isTrue();

    // Node 1 alone holds the winner: a read through another node finds both, answers the winner and
    // repairs the replicas behind.
    assertThat(getSigned(mesh, 2, NAME).valueAsString()).isEqualTo(valueOf(winner));
    mesh.awaitUntil(() -> mesh.running().stream().allMatch(i ->
        mesh.node(i).store().get(key, RecordKind.SIGNED, Instant.now()).filter(winner::equals).isPresent()),
        SETTLE);
    assertEveryNodeReads(mesh, 1, valueOf(winner), "");
  }

  @Test
  void plainStoreUnderASignedKeysId_isKeptApart_soNeitherKindIsEverReadAsTheOther() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    NodeId key = signedKey(ownerKey, NAME);
    HostilePeer attacker = arena.hostile(NodeId.random(random));
    owned(mesh, 0).put(NAME, "genuine");
    mesh.awaitUntil(() -> allHold(mesh, key, 1), SETTLE);
    PeerRecord genuine = attacker.findValue(arena.peer(0), key, SIGNED).getRecord();

    for (int i = 0; i < NODES; i++) {
      assertThat(attacker.findValue(arena.peer(i), key, PLAIN).hasRecord()).as("plain record node %d serves", i)
          .isFalse();
      assertThat(mesh.await(mesh.node(i).get(key, null))).as("plain Get through node %d", i).isEmpty();
    }

    // Plain records are anyone's to write: it is kept, beside the signed one.
    PeerRecord plain = HostilePeer.record(key, bytes("planted").toByteArray(), micros(Instant.now()),
        attacker.id(), Instant.now().plus(Duration.ofHours(1)));
    for (int i = 0; i < NODES; i++) {
      assertThat(attacker.store(arena.peer(i), plain)).as("plain record stored on node %d", i).isTrue();
    }

    for (int i = 0; i < NODES; i++) {
      assertThat(attacker.findValue(arena.peer(i), key, SIGNED).getRecord()).as("signed record node %d serves", i)
          .isEqualTo(genuine);
      assertThat(attacker.findValue(arena.peer(i), key, PLAIN).getRecord()).as("plain record node %d serves", i)
          .isEqualTo(plain);
      assertThat(getSigned(mesh, i, NAME)).as("GetSigned through node %d", i)
          .extracting(SignedEntry::seq, SignedEntry::valueAsString).containsExactly(1L, "genuine");
      Optional<ValueRecord> plainGet = mesh.await(mesh.node(i).get(key, null));
      assertThat(plainGet.map(ValueRecord::kind)).as("plain Get through node %d", i).contains(RecordKind.PLAIN);
      assertThat(plainGet.map(SignedRecordAttackTest::valueOf)).contains("planted");
    }
  }

  @Test
  void findValueAnswerWithAForgeryOfTheHighestSeq_isNeitherReturnedNorRepaired_andTheOwnerStillWritesPastIt() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    HostilePeer liar = arena.admittedHostile(NodeId.random(random));
    NodeId key = signedKey(ownerKey, NAME);
    NodeId unwritten = signedKey(ownerKey, "unwritten");
    long expiry = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
    // For the written name the owner's key with the liar's signature; for the other, the liar's
    // own valid record under the owner's key ID. Either, believed, would win over every seq.
    liar.answeringFindValue(k -> k.equals(key)
        ? signed(key, ownerKey, NAME, Long.MAX_VALUE, bytes("forged"), expiry, attackerKeys)
        : k.equals(unwritten)
            ? signed(unwritten, attackerKey, "unwritten", Long.MAX_VALUE, bytes("forged"), expiry, attackerKeys)
            : null);
    owned(mesh, 0).put(NAME, "genuine");
    mesh.awaitUntil(() -> allHold(mesh, key, 1), SETTLE);

    for (int i = 0; i < NODES; i++) {
      assertThat(getSigned(mesh, i, NAME)).as("GetSigned through node %d", i)
          .extracting(SignedEntry::seq, SignedEntry::valueAsString).containsExactly(1L, "genuine");
      assertThat(getSigned(mesh, i, "unwritten")).as("GetSigned of an unwritten name through node %d", i)
          .extracting(SignedEntry::found, SignedEntry::seq).containsExactly(false, 0L);
    }
    assertThat(liar.findValueCalls()).as("the liar was asked").isPositive();
    for (int i = 0; i < NODES; i++) {
      assertThat(liar.findValue(arena.peer(i), key, SIGNED).getRecord().getSignature().getSeq())
          .as("seq node %d serves", i).isEqualTo(1);
      assertThat(liar.findValue(arena.peer(i), unwritten, SIGNED).hasRecord())
          .as("record of the unwritten name node %d serves", i).isFalse();
    }

    // Had the forgery spread by read repair, replicas would refuse every seq the owner can write.
    assertThat(owned(mesh, 3).put(NAME, "next").seq()).isEqualTo(2);
    mesh.awaitUntil(() -> allHold(mesh, key, 2), SETTLE);
    assertEveryNodeReads(mesh, 2, "next", " after the owner's next put");
  }

  /**
   * Behind the gate: records a node's own store holds (an older build kept them, or the disk went
   * bad). The store takes whatever it is given; a node checks each again before it serves or
   * republishes it ({@code Limits.admits}), so the forgeries stay where they were planted.
   */
  @Test
  void forgeriesPlantedInANodesStore_areNeitherServedNorRepublished_whileTheOwnersRecordIs() {
    GrpcMesh mesh = arena.start(NODES, REPUBLISHING);
    arena.awaitFullTables();
    // In every table, so among the k closest to every key: it sees every STORE a node sends.
    HostilePeer witness = arena.admittedHostile(NodeId.random(random));
    Instant expiresAt = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    ValueRecord genuine = ownerSigned("kept", 1, "genuine", expiresAt);
    ValueRecord forged = underOwnersId(attackerKeys, ownerKey, "planted", 7, "forged", expiresAt);
    ValueRecord misbound = underOwnersId(attackerKeys, attackerKey, "misbound", 7, "forged", expiresAt);
    // The owner's record last: a round that sees it sees the forgeries too.
    for (ValueRecord planted : List.of(forged, misbound, genuine)) {
      mesh.node(0).store().put(planted);
    }
    NodeId planter = mesh.node(0).self().id();

    // A round filters a page before it sends anything: the one that sent the owner's record passed
    // over the forgeries. Another record of the owner's, planted after that, goes out in a later
    // round, which starts only once that round had every STORE it sent answered.
    mesh.awaitUntil(() -> witness.receivedStore(planter, genuine.key()), SETTLE);
    ValueRecord later = ownerSigned("later", 1, "genuine too", expiresAt);
    mesh.node(0).store().put(later);
    mesh.awaitUntil(() -> witness.receivedStore(planter, later.key()), SETTLE);
    mesh.awaitUntil(() -> mesh.running().stream().allMatch(i ->
        mesh.node(i).store().get(genuine.key(), RecordKind.SIGNED, Instant.now()).isPresent()), SETTLE);

    assertThat(witness.storesReceived()).extracting(s -> s.record().getKey())
        .as("keys STOREd to the witness")
        .doesNotContain(HostilePeer.bytes(forged.key()), HostilePeer.bytes(misbound.key()));
    for (int i = 0; i < NODES; i++) {
      for (ValueRecord planted : List.of(forged, misbound)) {
        assertThat(witness.findValue(arena.peer(i), planted.key(), SIGNED).hasRecord())
            .as("%s served by node %d", planted, i).isFalse();
        if (i > 0) {
          assertThat(mesh.node(i).store().get(planted.key(), RecordKind.SIGNED, Instant.now()))
              .as("%s held by node %d", planted, i).isEmpty();
        }
      }
      assertThat(getSigned(mesh, i, "planted").found()).as("GetSigned of the forged name through node %d", i)
          .isFalse();
      assertThat(getSigned(mesh, i, "kept").valueAsString()).as("GetSigned of the owner's name through node %d", i)
          .isEqualTo("genuine");
    }
  }

  // ---- the owner, and what the attacker makes ---------------------------------------------------

  private SignedRecords owned(GrpcMesh mesh, int node) {
    return mesh.client(node).signedBy(owner);
  }

  private SignedEntry getSigned(GrpcMesh mesh, int node, String name) {
    return mesh.client(node).getSigned(ownerKey, name);
  }

  /** Whether every node holds a signed record of {@code key} at {@code seq}. */
  private static boolean allHold(GrpcMesh mesh, NodeId key, long seq) {
    return mesh.running().stream().allMatch(i -> mesh.node(i).store().get(key, RecordKind.SIGNED, Instant.now())
        .filter(r -> r.signature().seq() == seq).isPresent());
  }

  /** A record of {@code name} the owner signed. */
  private ValueRecord ownerSigned(String name, long seq, String value, Instant expiresAt) {
    return underOwnersId(owner, ownerKey, name, seq, value, expiresAt);
  }

  /**
   * A record under the owner's key ID of {@code name}, signed by {@code signer} and claiming
   * {@code publicKey}: the owner's record when both are the owner's, a forgery otherwise.
   */
  private ValueRecord underOwnersId(KeyPair signer, byte[] publicKey, String name, long seq, String value,
      Instant expiresAt) {
    byte[] bytes = bytes(value).toByteArray();
    byte[] signature = new SignedPayload(name, seq, bytes, expiresAt.getEpochSecond(), false)
        .sign(signer.getPrivate());
    return ValueRecord.signedValue(signedKey(ownerKey, name), bytes, expiresAt,
        new RecordSignature(publicKey, name, seq, signature));
  }

  /**
   * Another value the owner signed at {@code held}'s seq and expiry, whose signature's digest
   * orders it after {@code held} ({@code wins}) or before: each value is one or the other, so a
   * few tries find either.
   */
  private ValueRecord ownerRival(ValueRecord held, boolean wins) {
    String name = held.signature().name();
    for (int n = 0; n < 256; n++) {
      ValueRecord rival = ownerSigned(name, held.signature().seq(), "rival-" + n, held.expiresAt());
      if (rival.version().isNewerThan(held.version()) == wins) {
        return rival;
      }
    }
    throw new AssertionError("no rival " + (wins ? "wins over " : "loses to ") + held);
  }

  /** A signed record signed by {@code signer}, claiming {@code publicKey}. */
  private static PeerRecord signed(NodeId key, byte[] publicKey, String name, long seq, ByteString value,
      long expiresAtSeconds, KeyPair signer) {
    byte[] signature = new SignedPayload(name, seq, value.toByteArray(), expiresAtSeconds, false)
        .sign(signer.getPrivate());
    return HostilePeer.signedRecord(key, publicKey, name, seq, value.toByteArray(), expiresAtSeconds, signature);
  }

  private static PeerRecord wire(ValueRecord record) {
    RecordSignature s = record.signature();
    return HostilePeer.signedRecord(record.key(), s.publicKey(), s.name(), s.seq(), record.value(),
        record.expiresAt().getEpochSecond(), s.signature());
  }

  private static NodeId signedKey(byte[] publicKey, String name) {
    return NodeId.fromBytes(RecordKeys.signedKey(publicKey, name));
  }

  private static String valueOf(ValueRecord record) {
    return new String(record.valueUnsafe(), StandardCharsets.UTF_8);
  }

  private static long micros(Instant at) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, at);
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** A GetSigned of NAME through every node answers the owner's {@code seq} and {@code value}. */
  private void assertEveryNodeReads(GrpcMesh mesh, long seq, String value, String when) {
    for (int i = 0; i < NODES; i++) {
      assertThat(getSigned(mesh, i, NAME)).as("GetSigned through node %d" + when, i)
          .extracting(SignedEntry::seq, SignedEntry::valueAsString).containsExactly(seq, value);
    }
  }
}
