package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.SignedRecords;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The record gate's proof part: what a signed or content record must prove before it is kept. */
class RecordProofGateTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant EXPIRES = NOW.plus(Duration.ofHours(1));

  private final Limits limits = new Limits(NodeConfig.defaults());
  private final SignedRecords owner = new SignedRecords();
  private final Random random = new Random(5);

  private static void refused(ThrowingCallable check, String... message) {
    assertThatThrownBy(check).isInstanceOfSatisfying(DhtException.class,
        e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.INVALID_ARGUMENT))
        .hasMessageContainingAll(message);
  }

  private void refusedIncoming(ValueRecord record, String... message) {
    refused(() -> limits.checkIncoming(record, NOW), message);
    assertThat(limits.admits(record, NOW)).isFalse();
  }

  /** A signed record of {@code name} whose proof carries these fields, signed as they are. */
  private ValueRecord signedAs(NodeId key, byte[] publicKey, String name, long seq, byte[] value,
      Instant expiresAt, byte[] signature) {
    return ValueRecord.signedValue(key, value, expiresAt,
        new RecordSignature(publicKey, name, seq, signature));
  }

  @Test
  void signedValueAndTombstone_ofTheirOwner_pass_whateverTheirSeq() {
    assertThatCode(() -> limits.checkIncoming(owner.value("n", 1, new byte[] {1}, EXPIRES), NOW))
        .doesNotThrowAnyException();
    assertThatCode(() -> limits.checkIncoming(owner.tombstone("n", 2, EXPIRES), NOW))
        .doesNotThrowAnyException();
    // A seq is no clock: the highest there is passes, where a plain version that high would not.
    assertThat(limits.admits(owner.value("n", Long.MAX_VALUE, new byte[0], EXPIRES), NOW)).isTrue();
  }

  @Test
  void signedRecord_signedByAnotherKey_isRefused() {
    SignedRecords forger = new SignedRecords();
    ValueRecord genuine = owner.value("n", 5, "v".getBytes(), EXPIRES);
    RecordSignature forged = forger.signature("n", 5, "v".getBytes(), EXPIRES, false);

    refusedIncoming(signedAs(genuine.key(), owner.publicKey(), "n", 5, "v".getBytes(), EXPIRES,
        forged.signature()), "record.signature does not verify for public key");
  }

  @Test
  void signedRecord_whoseValueSeqOrExpiryWasChanged_isRefused() {
    ValueRecord genuine = owner.value("n", 5, "v".getBytes(), EXPIRES);
    byte[] sig = genuine.signature().signature();
    NodeId key = genuine.key();
    byte[] pk = owner.publicKey();

    refusedIncoming(signedAs(key, pk, "n", 5, "w".getBytes(), EXPIRES, sig), "does not verify");
    refusedIncoming(signedAs(key, pk, "n", 6, "v".getBytes(), EXPIRES, sig), "does not verify");
    refusedIncoming(signedAs(key, pk, "n", 5, "v".getBytes(), EXPIRES.plusSeconds(1), sig),
        "does not verify");
    refusedIncoming(ValueRecord.signedTombstone(key, EXPIRES,
        new RecordSignature(pk, "n", 5, sig)), "does not verify");
  }

  @Test
  void signedRecord_underAKeyThatIsNotItsPublicKeyAndName_isRefused() {
    ValueRecord genuine = owner.value("n", 5, "v".getBytes(), EXPIRES);
    refusedIncoming(signedAs(owner.key("other"), owner.publicKey(), "n", 5, "v".getBytes(),
        EXPIRES, genuine.signature().signature()), "record.key is not SHA-256(public_key ‖ name)");
  }

  @Test
  void signedRecord_withMalformedFields_isRefused_namingTheField() {
    byte[] sig = new byte[64];
    byte[] shortKey = new byte[31];
    refusedIncoming(signedAs(NodeId.random(random), shortKey, "n", 1, new byte[0], EXPIRES, sig),
        "record.signature.public_key must be 32 bytes", "got 31");
    refusedIncoming(signedAs(NodeId.random(random), owner.publicKey(), "", 1, new byte[0], EXPIRES,
        sig), "record.signature.name must be 1 to 1024 bytes", "got 0");
    String longName = "x".repeat(1025);
    refusedIncoming(signedAs(owner.key(longName), owner.publicKey(), longName, 1, new byte[0],
        EXPIRES, sig), "record.signature.name must be 1 to 1024 bytes", "got 1025");
    refusedIncoming(signedAs(owner.key("n"), owner.publicKey(), "n", 0, new byte[0], EXPIRES, sig),
        "record.signature.seq must be 1 to 2^63-1, got 0");
    refusedIncoming(signedAs(owner.key("n"), owner.publicKey(), "n", 1, new byte[0],
        EXPIRES.plusMillis(500), sig), "record.expires_at must be whole seconds");
    refusedIncoming(signedAs(owner.key("n"), owner.publicKey(), "n", 1, new byte[0], EXPIRES,
        new byte[63]), "record.signature.signature must be 64 bytes", "got 63");
  }

  @Test
  void signedRecord_stillPassesTheGatesLimits_sizeAndExpiry() {
    ValueRecord tooFar = owner.value("n", 1, new byte[0], NOW.plus(Duration.ofDays(8)));
    refusedIncoming(tooFar, "beyond the maximum ttl");
    ValueRecord tooBig = owner.value("n", 1, new byte[64 * 1024 + 1], EXPIRES);
    assertThatThrownBy(() -> limits.checkIncoming(tooBig, NOW)).isInstanceOfSatisfying(
        DhtException.class, e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.RESOURCE_EXHAUSTED));
  }

  @Test
  void contentRecord_passesOnlyUnderTheHashOfItsValue_andWithinTheClockSkew() {
    byte[] value = "content".getBytes(StandardCharsets.UTF_8);
    Version version = new Version(VersionClock.micros(NOW), NodeId.random(random));
    ValueRecord good = ValueRecord.content(NodeId.ofBytes(value), value, version, EXPIRES);

    assertThat(limits.admits(good, NOW)).isTrue();
    refusedIncoming(ValueRecord.content(NodeId.ofKey("not the value"), value, version, EXPIRES),
        "record.key is not SHA-256(value)");
    refusedIncoming(ValueRecord.content(good.key(), value,
        new Version(VersionClock.micros(NOW.plus(Duration.ofHours(1))), version.writer()), EXPIRES),
        "more than the maximum clock skew");
  }

  @Test
  void ownSignedRecord_mustExpireInWholeSecondsInTheFuture_withinTheMaximumTtl() {
    assertThatCode(() -> limits.checkOwnSigned(owner.value("n", 1, new byte[0], EXPIRES), NOW))
        .doesNotThrowAnyException();
    refused(() -> limits.checkOwnSigned(owner.value("n", 1, new byte[0], NOW), NOW),
        "record.expires_at must be whole seconds in the future, at most PT168H");
    refused(() -> limits.checkOwnSigned(owner.value("n", 1, new byte[0],
        NOW.plus(Duration.ofDays(7)).plusSeconds(1)), NOW), "record.expires_at");
    refused(() -> limits.checkOwnSigned(signedAs(owner.key("n"), new byte[3], "n", 1, new byte[0],
        EXPIRES, new byte[64]), NOW), "record.public_key must be 32 bytes");
  }

  @Test
  void signedRecordsVersion_isItsSeqThenTheDigestOfItsSignature_soEveryReplicaOrdersThemAlike() {
    ValueRecord a = owner.value("n", 7, "a".getBytes(), EXPIRES);
    ValueRecord b = owner.value("n", 7, "b".getBytes(), EXPIRES);
    ValueRecord higher = owner.value("n", 8, new byte[0], EXPIRES);

    assertThat(a.kind()).isEqualTo(RecordKind.SIGNED);
    assertThat(a.version().sequence()).isEqualTo(7);
    assertThat(a.version()).isNotEqualTo(b.version());
    assertThat(NodeId.ofBytes(a.signature().signature())).isEqualTo(a.version().writer());
    assertThat(higher.version().isNewerThan(a.version())).isTrue();
    assertThat(higher.version().isNewerThan(b.version())).isTrue();
    assertThat(ValueRecord.signedValue(a.key(), a.value(), a.expiresAt(), a.signature()))
        .isEqualTo(a);
  }

  @Test
  void factories_keepKindsAndProofsConsistent() {
    ValueRecord signed = owner.value("name", 1, "v".getBytes(), EXPIRES);
    ValueRecord plain = ValueRecord.value(signed.key(), "v".getBytes(), new Version(1,
        NodeId.random(random)), EXPIRES);

    assertThat(plain.kind()).isEqualTo(RecordKind.PLAIN);
    assertThat(plain.signature()).isNull();
    assertThat(signed.storedBytes()).isEqualTo(plain.storedBytes() + 32 + 4 + 8 + 64);
    assertThat(owner.tombstone("name", 2, EXPIRES).isTombstone()).isTrue();
    assertThat(ValueRecord.content(NodeId.ofBytes(new byte[] {1}), new byte[] {1},
        plain.version(), EXPIRES).kind()).isEqualTo(RecordKind.CONTENT);
    assertThatThrownBy(() -> ValueRecord.signedValue(signed.key(), new byte[0], EXPIRES,
        new RecordSignature(owner.publicKey(), "n", -1, new byte[64])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(signed).isNotEqualTo(plain);
  }
}
