package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.client.testing.InProcessNode;
import io.kadmesh.proto.v1.GetSignedResponse;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignedRecordsTest {

  private static final KeyPair OWNER = Ed25519Keys.generate();
  private static final KeyPair STRANGER = Ed25519Keys.generate();
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00.750Z");

  private final FakeDht dht = new FakeDht();
  private InProcessNode node;
  private KadmeshClient client;
  private SignedRecords owner;

  @BeforeEach
  void serveFakeNode() {
    node = InProcessNode.serve(dht);
    client = KadmeshClient.over(node.newChannel());
    owner = client.signedBy(OWNER, InstantSource.fixed(NOW));
  }

  @AfterEach
  void stop() {
    client.close();
    node.close();
  }

  @Test
  void put_thenGetSigned_returnsTheValueAtSeq1AfterTheClientVerifiedIt() {
    SignedWriteResult put = owner.put("profile", "v1");

    SignedEntry entry = client.getSigned(owner.publicKey(), "profile");

    assertThat(put.seq()).isEqualTo(1);
    assertThat(put.replicas()).isEqualTo(3);
    assertThat(put.key()).isEqualTo(RecordKeys.signedKey(owner.publicKey(), "profile"));
    assertThat(entry.found()).isTrue();
    assertThat(entry.tombstone()).isFalse();
    assertThat(entry.valueAsString()).isEqualTo("v1");
    assertThat(entry.seq()).isEqualTo(1);
    assertThat(entry.publicKeyHex()).isEqualTo(owner.publicKeyHex());
    assertThat(entry.expiresAt()).isEqualTo(put.expiresAt());
  }

  @Test
  void put_signsAPayloadThatVerifiesWithTheOwnersPublicKey() {
    owner.put("profile", new byte[] {1, 2});

    SignedRecord sent = dht.lastPutSigned().getRecord();
    SignedPayload payload = new SignedPayload("profile", 1, new byte[] {1, 2},
        sent.getExpiresAt().getSeconds(), false);
    assertThat(payload.verify(owner.publicKey(), sent.getSignature().toByteArray())).isTrue();
    assertThat(sent.getPublicKey().toByteArray()).isEqualTo(owner.publicKey());
    assertThat(dht.lastPutSigned().hasExpectedSeq()).isFalse();
  }

  @Test
  void put_expiresAtNowPlusTheDefaultTtlInWholeSeconds() {
    SignedWriteResult put = owner.put("n", "v");

    assertThat(put.expiresAt()).isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
    assertThat(dht.lastPutSigned().getRecord().getExpiresAt().getNanos()).isZero();
  }

  @Test
  void put_withTtl_expiresAtNowPlusThatTtlTruncated() {
    SignedWriteResult put = owner.put("n", new byte[] {1}, Duration.ofMinutes(5));

    assertThat(put.expiresAt()).isEqualTo(Instant.parse("2030-01-01T00:05:00Z"));
  }

  @Test
  void put_overAnExistingRecord_signsTheSeqAfterTheNewest() {
    owner.put("n", "v1");
    owner.put("n", "v2");

    SignedWriteResult third = owner.put("n", "v3");

    assertThat(third.seq()).isEqualTo(3);
    assertThat(owner.get("n").valueAsString()).isEqualTo("v3");
  }

  @Test
  void delete_writesASignedTombstone_thatReadsAsNotFoundWithItsSeq() {
    owner.put("n", "v1");

    SignedWriteResult deleted = owner.delete("n");
    SignedEntry entry = owner.get("n");

    assertThat(deleted.tombstone()).isTrue();
    assertThat(deleted.seq()).isEqualTo(2);
    assertThat(entry.found()).isFalse();
    assertThat(entry.tombstone()).isTrue();
    assertThat(entry.seq()).isEqualTo(2);
    assertThat(entry.value()).isEmpty();
    assertThat(owner.put("n", "back").seq()).isEqualTo(3);
  }

  @Test
  void delete_ofARecordThatOutlivesTheDefaultTtl_keepsTheTombstoneUntilItExpires() {
    SignedWriteResult put = owner.put("n", new byte[] {1}, Duration.ofDays(7));

    assertThat(owner.delete("n").expiresAt()).isEqualTo(put.expiresAt());
    assertThat(owner.delete("never-written").expiresAt())
        .isEqualTo(Instant.parse("2030-01-02T00:00:00Z"));
  }

  @Test
  void getSigned_ofNoRecord_isNotFoundAtSeq0() {
    SignedEntry entry = client.getSigned(owner.publicKey(), "nothing");

    assertThat(entry.found()).isFalse();
    assertThat(entry.tombstone()).isFalse();
    assertThat(entry.seq()).isZero();
    assertThat(entry.expiresAt()).isNull();
  }

  @Test
  void compareAndPut_withTheSeqHeld_signsTheNextAndSendsTheExpectedSeq() {
    owner.put("n", "v1");

    SignedWriteResult put = owner.compareAndPut("n", 1, "v2".getBytes(StandardCharsets.UTF_8));

    assertThat(put.seq()).isEqualTo(2);
    assertThat(dht.lastPutSigned().getExpectedSeq()).isEqualTo(1);
    assertThat(owner.get("n").valueAsString()).isEqualTo("v2");
  }

  @Test
  void compareAndPut_ofANewName_expects0() {
    assertThat(owner.compareAndPut("fresh", 0, new byte[] {9}).seq()).isEqualTo(1);
    assertThat(dht.lastPutSigned().hasExpectedSeq()).isTrue();
  }

  @Test
  void compareAndPut_withAStaleSeq_failsWithTheSeqFoundFromTheTrailer() {
    owner.put("n", "v1");
    owner.put("n", "v2");

    assertThatThrownBy(() -> owner.compareAndPut("n", 1, new byte[] {3}))
        .isInstanceOfSatisfying(KadmeshException.class, e -> {
          assertThat(e.code()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.isSeqMismatch()).isTrue();
          assertThat(e.foundSeq()).hasValue(2);
        });
  }

  @Test
  void compareAndDelete_withTheSeqHeld_writesATombstone() {
    owner.put("n", "v1");

    SignedWriteResult deleted = owner.compareAndDelete("n", 1);

    assertThat(deleted.tombstone()).isTrue();
    assertThat(dht.lastPutSigned().getExpectedSeq()).isEqualTo(1);
    assertThat(owner.get("n").tombstone()).isTrue();
  }

  @Test
  void put_whenReplicasHoldAHigherSeq_isLostToANewerVersion() {
    dht.failWith(Status.ABORTED.withDescription("replicas hold seq 7"));

    assertThatThrownBy(() -> owner.compareAndPut("n", 0, new byte[] {1}))
        .isInstanceOfSatisfying(KadmeshException.class, e -> {
          assertThat(e.isLostToNewerVersion()).isTrue();
          assertThat(e.isSeqMismatch()).isFalse();
        });
  }

  @Test
  void getSigned_ofARecordWithAForgedSignature_throwsRatherThanReturnTheValue() {
    owner.put("n", "real");
    SignedRecord real = dht.lastPutSigned().getRecord();
    dht.holdSigned(real.toBuilder().setValue(ByteString.copyFromUtf8("forged")).setSeq(9).build());

    assertThatThrownBy(() -> client.getSigned(owner.publicKey(), "n"))
        .isInstanceOfSatisfying(KadmeshException.class, e -> {
          assertThat(e.isUnverifiedAnswer()).isTrue();
          assertThat(e.code()).isEqualTo(Status.Code.DATA_LOSS);
          assertThat(e.getMessage()).contains("'n'", "seq 9", "not signed by");
        });
  }

  @Test
  void getSigned_answeredWithAnotherOwnersValidRecord_throws() {
    SignedRecords stranger = client.signedBy(STRANGER);
    stranger.put("n", "theirs");
    GetSignedResponse theirs = GetSignedResponse.newBuilder()
        .setFound(true).setRecord(dht.lastPutSigned().getRecord()).build();
    dht.answerGetSigned(theirs);

    assertThatThrownBy(() -> client.getSigned(owner.publicKey(), "n"))
        .isInstanceOfSatisfying(KadmeshException.class,
            e -> assertThat(e.getMessage()).contains("another key"));
  }

  @Test
  void getSigned_answeredWithTheOwnersRecordOfAnotherName_throws() {
    owner.put("other", "v");
    dht.answerGetSigned(GetSignedResponse.newBuilder()
        .setFound(true).setRecord(dht.lastPutSigned().getRecord()).build());

    assertThatThrownBy(() -> owner.get("n"))
        .isInstanceOfSatisfying(KadmeshException.class, e -> assertThat(e.isUnverifiedAnswer()).isTrue());
  }

  @Test
  void getSigned_ofATombstoneAnsweredAsFound_throws() {
    owner.delete("n");
    dht.answerGetSigned(GetSignedResponse.newBuilder()
        .setFound(true).setRecord(dht.lastPutSigned().getRecord()).build());

    assertThatThrownBy(() -> owner.get("n"))
        .isInstanceOfSatisfying(KadmeshException.class,
            e -> assertThat(e.getMessage()).contains("tombstone"));
  }

  @Test
  void getSigned_foundWithoutARecord_throws() {
    dht.answerGetSigned(GetSignedResponse.newBuilder().setFound(true).build());

    assertThatThrownBy(() -> owner.get("n"))
        .isInstanceOfSatisfying(KadmeshException.class, e -> assertThat(e.isUnverifiedAnswer()).isTrue());
  }

  @Test
  void put_overAForgedNewestRecord_failsInsteadOfSigningPastIt() {
    dht.holdSigned(SignedRecord.newBuilder()
        .setPublicKey(ByteString.copyFrom(owner.publicKey())).setName("n").setSeq(1L << 40)
        .setExpiresAt(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() + 60))
        .setSignature(ByteString.copyFrom(new byte[64])).build());

    assertThatThrownBy(() -> owner.put("n", "v"))
        .isInstanceOfSatisfying(KadmeshException.class, e -> assertThat(e.isUnverifiedAnswer()).isTrue());
    assertThat(dht.lastPutSigned()).isNull();
  }

  @Test
  void put_withZeroTtl_throwsIllegalArgumentExceptionWithoutCalling() {
    assertThatThrownBy(() -> owner.put("n", new byte[0], Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(dht.lastPutSigned()).isNull();
  }

  @Test
  void compareAndPut_withANegativeExpectedSeq_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> owner.compareAndPut("n", -1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void publicKeyHex_isTheRawKeyInLowercaseHex() {
    assertThat(owner.publicKeyHex())
        .isEqualTo(HexFormat.of().formatHex(Ed25519Keys.raw(OWNER.getPublic())))
        .hasSize(64);
  }
}
