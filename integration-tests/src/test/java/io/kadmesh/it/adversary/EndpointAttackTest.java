package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kadmesh.client.ServiceEndpoint;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.Signature;
import io.kadmesh.proto.v1.StoreResponse;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.records.SignedPayload;
import io.kadmesh.testing.GrpcMesh;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attacks on a service's endpoint entries by a peer that speaks the peer protocol but holds no
 * announcer's private key: it tries to replace or withdraw another announcer's entry (its key with
 * the attacker's signature, the announcer's signature moved to another address or seq, a replay
 * of an older seq), and to flood the service past the per-service and per-announcer caps. Every
 * replica refuses each (INVALID_ARGUMENT for a proof that fails, stored=false with held_seq for a
 * seq that loses, RESOURCE_EXHAUSTED past a cap), and the honest entries resolve throughout.
 */
class EndpointAttackTest {
  private static final int NODES = 4;
  private static final String SERVICE = "checkout";
  /** Every node is a replica of every key; small caps, so that a flood reaches them quickly. */
  private static final NodeConfig CONFIG = NodeConfig.builder().k(2 * NODES)
      .maxServiceEntries(6).maxEntriesPerAnnouncer(2).build();
  private static final Duration SETTLE = Duration.ofSeconds(20);

  @RegisterExtension final Arena arena = new Arena();
  private final Random random = new Random(59);
  private final KeyPair alice = Ed25519Keys.generate();
  private final KeyPair bob = Ed25519Keys.generate();
  private final KeyPair attackerKeys = Ed25519Keys.generate();
  private final Instant expiry = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(1));

  @Test
  void attemptsToReplaceOrWithdrawAnotherAnnouncersEntry_areRefused_andItStillResolves() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    ValueRecord first = entry(alice, "10.0.0.1:443", 1, false);
    ValueRecord renewed = entry(alice, "10.0.0.1:443", 2, false);
    mesh.await(mesh.node(0).putEndpoint(first, null));
    mesh.await(mesh.node(0).putEndpoint(renewed, null));
    mesh.await(mesh.node(1).putEndpoint(entry(bob, "10.0.0.2:443", 1, false), null));
    mesh.awaitUntil(() -> allHold(mesh, 2), SETTLE);
    HostilePeer attacker = arena.hostile(NodeId.random(random));
    byte[] aliceKey = Ed25519Keys.raw(alice.getPublic());
    PeerRecord genuine = wire(renewed);

    List<PeerRecord> forgeries = List.of(
        // Alice's key, the attacker's signature: a withdrawal of her entry.
        forged(aliceKey, "10.0.0.1:443", 3, true, attackerKeys),
        // Alice's key, the attacker's signature: an entry she never announced.
        forged(aliceKey, "10.6.6.6:443", 1, false, attackerKeys),
        // Alice's own signature, marked withdrawn.
        genuine.toBuilder().setTombstone(true).build(),
        // Alice's own signature with its seq raised, or moved to another address.
        genuine.toBuilder().setSignature(genuine.getSignature().toBuilder().setSeq(9)).build(),
        genuine.toBuilder().setSignature(genuine.getSignature().toBuilder()
            .setName("10.6.6.6:443")).build(),
        // Alice's own signature with a later expiry.
        genuine.toBuilder().setExpiresAt(Timestamp.newBuilder()
            .setSeconds(expiry.getEpochSecond() + 3600)).build());
    for (PeerRecord f : forgeries) {
      for (int i = 0; i < NODES; i++) {
        int node = i;
        Status refused = Arena.refusal(() -> attacker.store(arena.peer(node), f));
        assertThat(refused.getCode()).as("%s on node %d: %s", f, i, refused)
            .isEqualTo(Status.Code.INVALID_ARGUMENT);
      }
    }
    // A replay of the entry she has since renewed loses to the seq held.
    for (int i = 0; i < NODES; i++) {
      StoreResponse replay = attacker.storeAnswer(arena.peer(i), wire(first));
      assertThat(replay.getStored()).isFalse();
      assertThat(replay.getHeldSeq()).isEqualTo(2);
    }
    // The attacker's own withdrawal of her address is its own entry: hers is untouched.
    assertThat(attacker.store(arena.peer(2),
        wire(EndpointRecords.sign(EndpointRecords.entry(renewed), 5, expiry, true, attackerKeys))))
        .isTrue();

    for (int i = 0; i < NODES; i++) {
      assertThat(mesh.client(i).resolve(SERVICE)).as("resolve through node %d", i)
          .extracting(ServiceEndpoint::address, ServiceEndpoint::announcerKey)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("10.0.0.1:443", hex(alice)),
              org.assertj.core.groups.Tuple.tuple("10.0.0.2:443", hex(bob)));
    }
    arena.assertServes(1);
  }

  @Test
  void aFloodOfEntries_isRefusedPastThePerAnnouncerAndPerServiceCaps_andHonestEntriesStillResolve() {
    GrpcMesh mesh = arena.start(NODES, CONFIG);
    arena.awaitFullTables();
    mesh.await(mesh.node(0).putEndpoint(entry(alice, "10.0.0.1:443", 1, false), null));
    mesh.await(mesh.node(1).putEndpoint(entry(bob, "10.0.0.2:443", 1, false), null));
    mesh.awaitUntil(() -> allHold(mesh, 2), SETTLE);
    HostilePeer attacker = arena.hostile(NodeId.random(random));

    // One announcer key: its third entry passes the per-announcer cap of 2.
    for (int n = 1; n <= 2; n++) {
      assertThat(attacker.store(arena.peer(0), wire(entry(attackerKeys, "6.6.6." + n + ":1", 1,
          false)))).isTrue();
    }
    Status perAnnouncer = Arena.refusal(() -> attacker.store(arena.peer(0),
        wire(entry(attackerKeys, "6.6.6.3:1", 1, false))));
    assertThat(perAnnouncer.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(perAnnouncer.getDescription()).contains("--max-entries-per-announcer");

    // Fresh keys, one entry each: the service fills up to its cap of 6 on every node, then refuses.
    int refused = 0;
    for (int n = 0; n < 8; n++) {
      PeerRecord flood = wire(entry(Ed25519Keys.generate(), "7.7.7." + n + ":1", 1, false));
      for (int i = 0; i < NODES; i++) {
        int node = i;
        Status s = outcome(() -> attacker.store(arena.peer(node), flood));
        if (s.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
          assertThat(s.getDescription()).contains("--max-service-entries");
          refused++;
        } else {
          assertThat(s.getCode()).as("%s", s).isEqualTo(Status.Code.OK);
        }
      }
    }
    assertThat(refused).isPositive();
    for (int i = 0; i < NODES; i++) {
      assertThat(mesh.node(i).store().getAll(serviceKey(mesh), RecordKind.ENDPOINT, Instant.now()))
          .as("node %d", i).hasSizeLessThanOrEqualTo(CONFIG.maxServiceEntries());
      assertThat(mesh.client(i).resolve(SERVICE)).as("resolve through node %d", i)
          .extracting(ServiceEndpoint::address).contains("10.0.0.1:443", "10.0.0.2:443");
    }
    arena.assertServes(2);
  }

  // ---- the announcers, and what the attacker makes ----------------------------------------------

  private ValueRecord entry(KeyPair announcer, String address, long seq, boolean withdrawn) {
    EndpointEntry e = EndpointEntry.of(SERVICE, address, Map.of("zone", "a"), new byte[32]);
    return EndpointRecords.sign(e, seq, expiry, withdrawn, announcer);
  }

  /** An entry of {@code address} claiming {@code publicKey}, signed by {@code signer}. */
  private PeerRecord forged(byte[] publicKey, String address, long seq, boolean withdrawn,
      KeyPair signer) {
    byte[] value = EndpointEntry.of(SERVICE, address, Map.of(), new byte[32]).encode();
    byte[] signature = new SignedPayload(SignedPayload.Domain.ENDPOINT, address, seq, value,
        expiry.getEpochSecond(), withdrawn).sign(signer.getPrivate());
    return wire(ValueRecord.endpoint(NodeId.fromBytes(EndpointEntry.decode(value).serviceKey()),
        value, expiry, withdrawn, new RecordSignature(publicKey, address, seq, signature)));
  }

  private static PeerRecord wire(ValueRecord record) {
    RecordSignature s = record.signature();
    return PeerRecord.newBuilder()
        .setKey(ByteString.copyFrom(record.key().toBytes()))
        .setValue(ByteString.copyFrom(record.value()))
        .setExpiresAt(Timestamp.newBuilder().setSeconds(record.expiresAt().getEpochSecond()))
        .setTombstone(record.isTombstone())
        .setKind(io.kadmesh.proto.v1.RecordKind.RECORD_KIND_ENDPOINT)
        .setSignature(Signature.newBuilder()
            .setPublicKey(ByteString.copyFrom(s.publicKey()))
            .setName(s.name())
            .setSeq(s.seq())
            .setSignature(ByteString.copyFrom(s.signature())))
        .build();
  }

  private static NodeId serviceKey(GrpcMesh mesh) {
    return mesh.node(0).serviceKeyOf(SERVICE);
  }

  /** Whether every node holds at least {@code entries} entries of the service. */
  private static boolean allHold(GrpcMesh mesh, int entries) {
    return mesh.running().stream().allMatch(i -> mesh.node(i).store()
        .getAll(serviceKey(mesh), RecordKind.ENDPOINT, Instant.now()).size() >= entries);
  }

  /** OK when the call went through, else the status it was refused with. */
  private static Status outcome(Runnable call) {
    try {
      call.run();
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private static String hex(KeyPair keys) {
    return HexFormat.of().formatHex(Ed25519Keys.raw(keys.getPublic()));
  }
}
