package io.kadmesh.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SignedPayloadTest {
  private final KeyPair owner = Ed25519Keys.generate();
  private final byte[] publicKey = Ed25519Keys.raw(owner.getPublic());

  @Test
  void payloadHasTheDocumentedLayout() {
    SignedPayload payload = new SignedPayload("n", 2, new byte[] {7}, 3, false);

    assertThat(HexFormat.of().formatHex(payload.bytes())).isEqualTo(
        HexFormat.of().formatHex("kadmesh-signed-record-v1".getBytes(StandardCharsets.US_ASCII))
            + "00" + "0000000000000002" + "0000000000000003" + "00000001" + "6e" + "00000001" + "07");
  }

  @Test
  void signatureVerifiesWithTheOwnersKeyOnly() {
    SignedPayload payload = new SignedPayload("config", 1, "v".getBytes(StandardCharsets.UTF_8), 100, false);
    byte[] signature = payload.sign(owner.getPrivate());

    assertThat(signature).hasSize(64);
    assertThat(payload.verify(publicKey, signature)).isTrue();
    assertThat(payload.verify(Ed25519Keys.raw(Ed25519Keys.generate().getPublic()), signature)).isFalse();
  }

  @Test
  void anyChangedFieldBreaksTheSignature() {
    SignedPayload payload = new SignedPayload("config", 5, "v".getBytes(StandardCharsets.UTF_8), 100, false);
    byte[] signature = payload.sign(owner.getPrivate());

    assertThat(new SignedPayload("config2", 5, payload.value(), 100, false).verify(publicKey, signature)).isFalse();
    assertThat(new SignedPayload("config", 6, payload.value(), 100, false).verify(publicKey, signature)).isFalse();
    assertThat(new SignedPayload("config", 5, "w".getBytes(StandardCharsets.UTF_8), 100, false).verify(publicKey, signature)).isFalse();
    assertThat(new SignedPayload("config", 5, payload.value(), 101, false).verify(publicKey, signature)).isFalse();
    assertThat(new SignedPayload("config", 5, new byte[0], 100, true).verify(publicKey, signature)).isFalse();
  }

  @Test
  void malformedKeysAndSignaturesVerifyFalseWithoutThrowing() {
    SignedPayload payload = new SignedPayload("config", 1, new byte[0], 100, false);
    byte[] signature = payload.sign(owner.getPrivate());

    assertThat(payload.verify(new byte[31], signature)).isFalse();
    assertThat(payload.verify(publicKey, new byte[63])).isFalse();
    assertThat(payload.verify(new byte[32], signature)).isFalse();
    byte[] allOnes = new byte[32];
    java.util.Arrays.fill(allOnes, (byte) 0xff);
    assertThat(payload.verify(allOnes, signature)).isFalse();
    assertThat(payload.verify(publicKey, new byte[64])).isFalse();
  }

  @Test
  void keysAreSha256OfPublicKeyAndNameAndOfTheValue() throws Exception {
    java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update(publicKey);
    sha.update("n".getBytes(StandardCharsets.UTF_8));

    assertThat(RecordKeys.signedKey(publicKey, "n")).isEqualTo(sha.digest());
    assertThat(RecordKeys.contentKey(new byte[] {1}))
        .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(new byte[] {1}));
  }
}
