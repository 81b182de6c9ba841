package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.SignedPayload;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class SignatureVerifierTest {
  private final KeyPair owner = Ed25519Keys.generate();
  private final byte[] publicKey = Ed25519Keys.raw(owner.getPublic());
  private final SignedPayload payload =
      new SignedPayload("n", 1, "v".getBytes(StandardCharsets.UTF_8), 100, false);
  private final byte[] signature = payload.sign(owner.getPrivate());

  @Test
  void aSignatureThatVerifiedOnce_verifiesAgain() {
    SignatureVerifier verifier = new SignatureVerifier(10);

    assertThat(verifier.verifies(publicKey, payload, signature)).isTrue();
    assertThat(verifier.verifies(publicKey, payload, signature)).isTrue();
  }

  @Test
  void afterAGoodSignatureWasRemembered_anyChangedByteIsCheckedAfreshAndRefused() {
    SignatureVerifier verifier = new SignatureVerifier(10);
    verifier.verifies(publicKey, payload, signature);
    byte[] otherSignature = signature.clone();
    otherSignature[0] ^= 1;

    assertThat(verifier.verifies(publicKey,
        new SignedPayload("n", 1, "w".getBytes(StandardCharsets.UTF_8), 100, false), signature)).isFalse();
    assertThat(verifier.verifies(publicKey,
        new SignedPayload("n", 2, payload.value(), 100, false), signature)).isFalse();
    assertThat(verifier.verifies(publicKey, payload, otherSignature)).isFalse();
    assertThat(verifier.verifies(Ed25519Keys.raw(Ed25519Keys.generate().getPublic()), payload,
        signature)).isFalse();
  }

  @Test
  void aFailedSignatureIsNeverRemembered() {
    SignatureVerifier verifier = new SignatureVerifier(10);
    byte[] forged = new byte[64];

    assertThat(verifier.verifies(publicKey, payload, forged)).isFalse();
    assertThat(verifier.verifies(publicKey, payload, forged)).isFalse();
  }
}
