package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.DhtException.Reason;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.SignedRecords;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.sim.ForwardingPeerHandler;
import io.kadmesh.core.sim.PeerHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Signed and content-addressed records between nodes of an in-memory network: written, read,
 * ordered by seq, compared and swapped, and refused wherever a proof fails: in a STORE, in a
 * FIND_VALUE answer, in read repair and in republish.
 */
class SignedAndContentRecordsTest extends VirtualMeshFixture {
  private final SignedRecords owner = new SignedRecords();
  private final Random random = new Random(23);

  private ValueRecord signed(String name, long seq, String value) {
    return owner.value(name, seq, value.getBytes(StandardCharsets.UTF_8), expiry());
  }

  private static String text(Optional<ValueRecord> r) {
    return new String(r.orElseThrow().valueUnsafe(), StandardCharsets.UTF_8);
  }

  // ---- signed records -------------------------------------------------------------------------

  @Test
  void signedPut_isReadBackOnAnotherNode_withItsSignature_andNeverByAPlainGet() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    ValueRecord v1 = signed("profile", 1, "hello");

    WriteResult written = await(n.get(0).putSigned(v1, null, TIMEOUT));
    Optional<ValueRecord> got = await(n.get(1).get(v1.key(), RecordKind.SIGNED, TIMEOUT));

    assertThat(written.replicas()).isEqualTo(3);
    assertThat(got).contains(v1);
    assertThat(got.get().signature()).isEqualTo(v1.signature());
    assertThat(await(n.get(1).get(v1.key(), TIMEOUT))).isEmpty();
    assertThat(await(n.get(2).get(v1.key(), RecordKind.CONTENT, TIMEOUT))).isEmpty();
  }

  @Test
  void higherSeq_replaces_whileLowerAndLosingEqualSeqsAreRefusedAsConflicts() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    await(n.get(0).putSigned(signed("k", 1, "one"), null, TIMEOUT));
    await(n.get(1).putSigned(signed("k", 2, "two"), null, TIMEOUT));
    assertThat(text(await(n.get(2).get(owner.key("k"), RecordKind.SIGNED, TIMEOUT)))).isEqualTo("two");

    DhtException lower = failure(n.get(2).putSigned(signed("k", 1, "again"), null, TIMEOUT));
    assertThat(lower.reason()).isEqualTo(Reason.CONFLICT);
    assertThat(lower).hasMessageContaining("seq 2").hasMessageContaining("seq 1");

    // Two records of one seq order by their signatures' digests, alike on every replica.
    ValueRecord x = signed("k", 3, "x");
    ValueRecord y = signed("k", 3, "y");
    ValueRecord winner = x.version().isNewerThan(y.version()) ? x : y;
    ValueRecord loser = winner == x ? y : x;
    await(n.get(0).putSigned(winner, null, TIMEOUT));
    DhtException equal = failure(n.get(1).putSigned(loser, null, TIMEOUT));
    assertThat(equal.reason()).isEqualTo(Reason.CONFLICT);
    assertThat(equal).hasMessageContaining("seq 3");
    assertThat(await(n.get(2).get(owner.key("k"), RecordKind.SIGNED, TIMEOUT))).contains(winner);
    // The same record again is no conflict: every replica already holds it.
    assertThat(await(n.get(2).putSigned(winner, null, TIMEOUT)).replicas()).isEqualTo(3);
  }

  @Test
  void compareAndSwap_writesOnlyWhenTheNewestSeqFoundIsTheOneExpected() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    await(n.get(0).putSigned(signed("cas", 1, "first"), 0L, TIMEOUT));
    await(n.get(1).putSigned(signed("cas", 2, "second"), 1L, TIMEOUT));

    DhtException stale = failure(n.get(2).putSigned(signed("cas", 3, "third"), 1L, TIMEOUT));
    DhtException absent = failure(n.get(2).putSigned(signed("cas", 3, "third"), 0L, TIMEOUT));

    assertThat(stale.reason()).isEqualTo(Reason.SEQ_MISMATCH);
    assertThat(stale.foundSeq()).hasValue(2);
    assertThat(stale).hasMessage("expected_seq is 1 but the newest record of the key has seq 2");
    assertThat(absent.foundSeq()).hasValue(2);
    assertThat(text(await(n.get(0).get(owner.key("cas"), RecordKind.SIGNED, TIMEOUT))))
        .isEqualTo("second");
    DhtException none = failure(n.get(2).putSigned(signed("fresh", 1, "v"), 4L, TIMEOUT));
    assertThat(none.foundSeq()).hasValue(0);
  }

  @Test
  void signedTombstone_winsOverLowerSeqs_andIsReturnedSoTheOwnerLearnsItsSeq() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    await(n.get(0).putSigned(signed("gone", 4, "v"), null, TIMEOUT));
    await(n.get(1).putSigned(owner.tombstone("gone", 5, expiry()), 4L, TIMEOUT));

    Optional<ValueRecord> got = await(n.get(2).get(owner.key("gone"), RecordKind.SIGNED, TIMEOUT));
    assertThat(got.orElseThrow().isTombstone()).isTrue();
    assertThat(got.get().signature().seq()).isEqualTo(5);
    assertThat(failure(n.get(2).putSigned(signed("gone", 4, "back"), null, TIMEOUT)).reason())
        .isEqualTo(Reason.CONFLICT);
  }

  @Test
  void aSignedSeqAboveEveryClock_neitherMovesTheVersionClock_norBlocksPlainWrites() {
    List<KademliaNode> n = mesh("a:1", "b:1");
    await(n.get(0).putSigned(signed("max", Long.MAX_VALUE, "v"), null, TIMEOUT));
    await(n.get(1).get(owner.key("max"), RecordKind.SIGNED, TIMEOUT));

    WriteResult plain = await(n.get(0).put(n.get(0).keyOf("plain"), new byte[] {1}, null, TIMEOUT));
    assertThat(plain.version().sequence()).isLessThan(Long.MAX_VALUE / 2);
    assertThat(await(n.get(1).put(n.get(1).keyOf("plain"), new byte[] {2}, null, TIMEOUT))
        .replicas()).isEqualTo(2);
  }

  @Test
  void putSigned_ofAnInvalidRecord_isRefusedBeforeAnythingIsWritten() {
    List<KademliaNode> n = mesh("a:1", "b:1");
    ValueRecord genuine = signed("n", 1, "v");
    ValueRecord forged = ValueRecord.signedValue(genuine.key(), "other".getBytes(),
        genuine.expiresAt(), genuine.signature());

    DhtException e = failure(n.get(0).putSigned(forged, null, TIMEOUT));
    assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(e).hasMessageContaining("record.signature does not verify");
    assertThat(n.get(0).store().recordCount() + n.get(1).store().recordCount()).isZero();
  }

  // ---- refusals through STORE -------------------------------------------------------------------

  @Test
  void store_ofAForgedSignedRecord_aMisboundKey_orContentThatDoesNotHash_isRefused() {
    KademliaNode a = node("a:1");
    ValueRecord genuine = signed("n", 1, "v");
    // The owner's public key and name, another key's signature.
    ValueRecord forged = ValueRecord.signedValue(genuine.key(), "v".getBytes(), genuine.expiresAt(),
        new RecordSignature(owner.publicKey(), "n", 1, new SignedRecords()
            .signature("n", 1, "v".getBytes(), genuine.expiresAt(), false).signature()));
    ValueRecord misbound = ValueRecord.signedValue(owner.key("other"), "v".getBytes(),
        genuine.expiresAt(), genuine.signature());
    ValueRecord badContent = ValueRecord.content(NodeId.ofKey("x"), "v".getBytes(),
        new Version(VersionClock.micros(scheduler.now()), NodeId.random(random)), expiry());

    assertInvalid(() -> a.handleStore(null, forged), "record.signature does not verify");
    assertInvalid(() -> a.handleStore(null, misbound), "record.key is not SHA-256(public_key ‖ name)");
    assertInvalid(() -> a.handleStore(null, badContent), "record.key is not SHA-256(value)");
    assertThat(a.store().recordCount()).isZero();
    assertThat(a.handleStore(null, genuine)).isEqualTo(StoreResult.STORED);
  }

  @Test
  void store_ofALowerSeq_answersTheHeldSeq_neverAVersion() {
    KademliaNode a = node("a:1");
    a.handleStore(null, signed("n", 7, "seven"));

    StoreResult lower = a.handleStore(null, signed("n", 6, "six"));

    assertThat(lower.stored()).isFalse();
    assertThat(lower.heldSeq()).isEqualTo(7);
    assertThat(lower.newerHeld()).isNull();
  }

  @Test
  void aPlainRecordStoredUnderASignedKey_isHeldApart_andNeitherIsReadAsTheOther() {
    List<KademliaNode> n = mesh("a:1", "b:1");
    ValueRecord v = signed("name", 1, "signed value");
    await(n.get(0).putSigned(v, null, TIMEOUT));
    ValueRecord squatter = ValueRecord.value(v.key(), "plain squatter".getBytes(),
        new Version(VersionClock.micros(scheduler.now()), NodeId.random(random)), expiry());

    assertThat(n.get(1).handleStore(null, squatter).stored()).isTrue();
    assertThat(n.get(0).handleStore(null, squatter).stored()).isTrue();

    assertThat(await(n.get(0).get(v.key(), RecordKind.SIGNED, TIMEOUT))).contains(v);
    assertThat(await(n.get(1).get(v.key(), RecordKind.SIGNED, TIMEOUT))).contains(v);
    assertThat(await(n.get(1).get(v.key(), TIMEOUT))).contains(squatter);
    assertThat(n.get(1).handleFindValue(null, v.key(), RecordKind.SIGNED).record()).isEqualTo(v);
    assertThat(n.get(1).handleFindValue(null, v.key(), RecordKind.PLAIN).record()).isEqualTo(squatter);
    assertThat(n.get(1).handleFindValue(null, v.key(), RecordKind.CONTENT).record()).isNull();
  }

  private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
      String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(DhtException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT)).hasMessageContaining(message);
  }

  // ---- refusals in lookups, read repair and republish --------------------------------------------

  /** What a watched node was asked: FIND_VALUEs, and the keys of the STOREs it received. */
  private record Watch(AtomicInteger asked, List<NodeId> stored) {}

  /** Makes {@code node} answer every FIND_VALUE with {@code lie}'s record; counts the answers. */
  private AtomicInteger lying(KademliaNode node, Function<NodeId, ValueRecord> lie) {
    return watch(node, lie).asked();
  }

  /**
   * Registers {@code node} behind a handler that records what it is asked and, with a {@code lie}
   * (null: none), answers every FIND_VALUE with its record.
   */
  private Watch watch(KademliaNode node, Function<NodeId, ValueRecord> lie) {
    AtomicInteger asked = new AtomicInteger();
    List<NodeId> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
    PeerHandler truth = PeerHandler.of(node);
    network.register(new ForwardingPeerHandler(truth) {
      @Override
      public FoundValue handleFindValue(Contact sender, NodeId key, RecordKind kind) {
        asked.incrementAndGet();
        return lie == null ? truth.handleFindValue(sender, key, kind)
            : new FoundValue(lie.apply(key), List.of());
      }

      @Override
      public StoreResult handleStore(Contact sender, ValueRecord record) {
        stored.add(record.key());
        return truth.handleStore(sender, record);
      }
    });
    return new Watch(asked, stored);
  }

  @Test
  void aLyingPeersForgedHigherSeq_isNeitherReturnedNorRepairedAnywhere() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    ValueRecord genuine = signed("n", 1, "genuine");
    await(n.get(0).putSigned(genuine, null, TIMEOUT));
    // The owner's public key, another key's signature: a seq that would win, were it believed.
    ValueRecord forged = ValueRecord.signedValue(genuine.key(), "forged".getBytes(),
        genuine.expiresAt(), new RecordSignature(owner.publicKey(), "n", 99, new SignedRecords()
            .signature("n", 99, "forged".getBytes(), genuine.expiresAt(), false).signature()));
    n.get(1).store().put(forged); // the liar's own copy, as if an older build had kept it
    AtomicInteger asked = lying(n.get(1), key -> forged);

    Optional<ValueRecord> got = await(n.get(2).get(genuine.key(), RecordKind.SIGNED, TIMEOUT));
    scheduler.advance(Duration.ofSeconds(30)); // read repair, had there been any

    assertThat(asked.get()).isPositive();
    assertThat(got).contains(genuine);
    assertThat(n.get(0).store().get(genuine.key(), RecordKind.SIGNED, scheduler.now())).contains(genuine);
    assertThat(n.get(2).store().get(genuine.key(), RecordKind.SIGNED, scheduler.now())).contains(genuine);
  }

  @Test
  void aLyingPeersRecordOfAnotherKindOrUnhashedContent_failsItsAnswer() {
    List<KademliaNode> n = mesh("a:1", "b:1");
    byte[] value = "content".getBytes();
    NodeId contentKey = NodeId.ofBytes(value);
    ValueRecord plainForSigned = ValueRecord.value(owner.key("n"), "plain".getBytes(),
        new Version(VersionClock.micros(scheduler.now()), NodeId.random(random)), expiry());
    ValueRecord wrongContent = ValueRecord.content(contentKey, "not it".getBytes(),
        new Version(VersionClock.micros(scheduler.now()), NodeId.random(random)), expiry());
    lying(n.get(1), key -> key.equals(contentKey) ? wrongContent : plainForSigned);

    // The only peer fails its answer: nobody said the key is absent, and nothing was believed.
    assertThat(failure(n.get(0).get(owner.key("n"), RecordKind.SIGNED, TIMEOUT)).reason())
        .isEqualTo(Reason.UNAVAILABLE);
    assertThat(failure(n.get(0).get(contentKey, RecordKind.CONTENT, TIMEOUT)).reason())
        .isEqualTo(Reason.UNAVAILABLE);
    assertThat(n.get(0).store().recordCount()).isZero();
  }

  @Test
  void republish_sendsHeldRecordsThatPassTheGate_andNeverOnesThatDoNot() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    n.forEach(KademliaNode::start);
    ValueRecord genuine = signed("kept", 1, "genuine");
    ValueRecord forged = ValueRecord.signedValue(owner.key("other"), "forged".getBytes(),
        genuine.expiresAt(), genuine.signature());
    byte[] value = "bytes".getBytes();
    ValueRecord badContent = ValueRecord.content(NodeId.ofKey("elsewhere"), value,
        new Version(VersionClock.micros(scheduler.now()), n.get(0).self().id()), expiry());
    n.get(0).store().put(genuine);
    n.get(0).store().put(forged);
    n.get(0).store().put(badContent);
    List<Watch> watches = List.of(watch(n.get(1), null), watch(n.get(2), null));

    scheduler.advance(NodeConfig.defaults().republishInterval().plusMinutes(5));

    for (Watch w : watches) {
      assertThat(w.stored()).contains(genuine.key()).doesNotContain(forged.key(), badContent.key());
    }
    for (KademliaNode other : n.subList(1, 3)) {
      Instant now = scheduler.now();
      assertThat(other.store().get(genuine.key(), RecordKind.SIGNED, now)).contains(genuine);
      assertThat(other.store().get(forged.key(), RecordKind.SIGNED, now)).isEmpty();
      assertThat(other.store().get(badContent.key(), RecordKind.CONTENT, now)).isEmpty();
    }
    assertThat(n.get(0).handleFindValue(null, forged.key(), RecordKind.SIGNED).record()).isNull();
    n.forEach(KademliaNode::close);
  }

  // ---- content records ----------------------------------------------------------------------------

  @Test
  void contentPut_isReadBackOnAnotherNode_andAPutAgainExtendsItsExpiry() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    byte[] value = "immutable".getBytes();

    WriteResult first = await(n.get(0).putContent(value, Duration.ofHours(1), TIMEOUT));
    scheduler.advance(Duration.ofMinutes(10));
    WriteResult again = await(n.get(1).putContent(value, Duration.ofHours(1), TIMEOUT));
    Optional<ValueRecord> got = await(n.get(2).get(NodeId.ofBytes(value), RecordKind.CONTENT, TIMEOUT));

    assertThat(first.replicas()).isEqualTo(3);
    assertThat(got.orElseThrow().value()).isEqualTo(value);
    assertThat(got.get().kind()).isEqualTo(RecordKind.CONTENT);
    assertThat(got.get().expiresAt()).isEqualTo(again.expiresAt()).isAfter(first.expiresAt());
  }

  @Test
  void contentPut_ofAPlainKeysBytes_landsOnItsIdButLeavesThePlainRecordAlone() {
    List<KademliaNode> n = mesh("a:1", "b:1");
    NodeId plainKey = n.get(0).keyOf("config");
    await(n.get(0).put(plainKey, "plain value".getBytes(), null, TIMEOUT));

    await(n.get(1).putContent("config".getBytes(StandardCharsets.UTF_8), null, TIMEOUT));

    assertThat(text(await(n.get(1).get(plainKey, TIMEOUT)))).isEqualTo("plain value");
    assertThat(text(await(n.get(0).get(plainKey, RecordKind.CONTENT, TIMEOUT)))).isEqualTo("config");
    assertThat(n.get(0).store().recordCount()).isEqualTo(2);
  }

  @Test
  void putContent_checksItsValueAndTtl_asPutDoes() {
    KademliaNode a = node("a:1");
    assertThat(failure(a.putContent(new byte[64 * 1024 + 1], null, TIMEOUT)).reason())
        .isEqualTo(Reason.RESOURCE_EXHAUSTED);
    assertThat(failure(a.putContent(new byte[1], Duration.ofDays(8), TIMEOUT)).reason())
        .isEqualTo(Reason.INVALID_ARGUMENT);
  }
}
