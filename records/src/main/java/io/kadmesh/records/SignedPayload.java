package io.kadmesh.records;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Objects;

/**
 * The bytes an owner signs for a signed record or an endpoint entry, and the signing and verifying
 * of them. The layout is the one kadmesh.v1.Signature documents, so that any language can produce it:
 * <pre>
 *   the domain's prefix   ASCII bytes ("kadmesh-signed-record-v1" or "kadmesh-endpoint-v1"), so
 *                         that a signature made here means nothing elsewhere
 *   u8   0 for a value, 1 for a tombstone
 *   u64  seq
 *   i64  expires_at, seconds since the Unix epoch
 *   u32  name length, then the name's UTF-8 bytes
 *   u32  value length, then the value's bytes
 * </pre>
 * All integers big-endian. The public key is not in the payload: Ed25519 binds a signature to the
 * key that made it (RFC 8032 §5.1.6), and the record's key binds the public key to the name.
 */
public record SignedPayload(Domain domain, String name, long seq, byte[] value,
    long expiresAtSeconds, boolean tombstone) {
  /** The domain-separation prefix of signed records. */
  public static final String PREFIX = Domain.SIGNED_RECORD.prefix;
  /** The length of an Ed25519 signature. */
  public static final int SIGNATURE_BYTES = 64;

  /**
   * What a signature is for. Each domain has its own prefix, so that a signature made for one can
   * never be replayed as the other.
   */
  public enum Domain {
    /** A signed record: a tombstone carries no value. */
    SIGNED_RECORD("kadmesh-signed-record-v1"),
    /**
     * A service endpoint entry: the value is the {@link EndpointEntry}, withdrawn (tombstone) or
     * not, and the name is the endpoint's address.
     */
    ENDPOINT("kadmesh-endpoint-v1");

    private final String prefix;
    private final byte[] prefixBytes;

    Domain(String prefix) {
      this.prefix = prefix;
      this.prefixBytes = prefix.getBytes(StandardCharsets.US_ASCII);
    }

    /** The ASCII prefix the payload starts with. */
    public String prefix() {
      return prefix;
    }
  }

  public SignedPayload {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (domain == Domain.SIGNED_RECORD && tombstone && value.length > 0) {
      throw new IllegalArgumentException("a tombstone carries no value");
    }
  }

  /** A signed record's payload. */
  public SignedPayload(String name, long seq, byte[] value, long expiresAtSeconds, boolean tombstone) {
    this(Domain.SIGNED_RECORD, name, seq, value, expiresAtSeconds, tombstone);
  }

  /** The bytes that are signed. */
  public byte[] bytes() {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] prefixBytes = domain.prefixBytes;
    return ByteBuffer.allocate(prefixBytes.length + 1 + 8 + 8 + 4 + nameBytes.length + 4 + value.length)
        .put(prefixBytes)
        .put((byte) (tombstone ? 1 : 0))
        .putLong(seq)
        .putLong(expiresAtSeconds)
        .putInt(nameBytes.length)
        .put(nameBytes)
        .putInt(value.length)
        .put(value)
        .array();
  }

  /** Signs the payload with the owner's Ed25519 private key: 64 bytes. */
  public byte[] sign(PrivateKey privateKey) {
    try {
      Signature signer = Signature.getInstance("Ed25519");
      signer.initSign(privateKey);
      signer.update(bytes());
      return signer.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key (it must be Ed25519): " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code signature} is the owner's signature of this payload. False, never an exception,
   * for a malformed public key or signature: they come from peers, who may send anything.
   */
  public boolean verify(byte[] rawPublicKey, byte[] signature) {
    if (rawPublicKey.length != Ed25519Keys.PUBLIC_KEY_BYTES || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    try {
      PublicKey key = Ed25519Keys.publicKey(rawPublicKey);
      Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(key);
      verifier.update(bytes());
      return verifier.verify(signature);
    } catch (SignatureException | IllegalArgumentException e) {
      return false;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
