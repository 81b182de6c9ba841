package io.kadmesh.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The owner's proof on a signed record: the raw Ed25519 public key, the record's name, its seq and
 * the signature of the payload {@code io.kadmesh.records.SignedPayload} defines. Holds whatever it
 * is given: the record gate ({@code Limits.checkIncoming}) checks lengths, ranges and the
 * signature itself, so that a peer's malformed proof is refused with a message, not a crash.
 */
public final class RecordSignature {
  private final byte[] publicKey;
  private final String name;
  private final long seq;
  private final byte[] signature;

  public RecordSignature(byte[] publicKey, String name, long seq, byte[] signature) {
    this.publicKey = Objects.requireNonNull(publicKey, "publicKey").clone();
    this.name = Objects.requireNonNull(name, "name");
    this.seq = seq;
    this.signature = Objects.requireNonNull(signature, "signature").clone();
  }

  /** A copy of the raw public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String name() {
    return name;
  }

  public long seq() {
    return seq;
  }

  /** A copy of the signature's bytes. */
  public byte[] signature() {
    return signature.clone();
  }

  /** Bytes the proof adds to what a record costs a store: key, name, seq and signature. */
  public long storedBytes() {
    return storedBytes(publicKey.length, name.getBytes(StandardCharsets.UTF_8).length,
        signature.length);
  }

  /** {@link #storedBytes()} from the lengths alone (a store that has not decoded the record). */
  public static long storedBytes(int publicKeyBytes, int nameBytes, int signatureBytes) {
    return publicKeyBytes + nameBytes + 8L + signatureBytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecordSignature s
        && seq == s.seq
        && name.equals(s.name)
        && Arrays.equals(publicKey, s.publicKey)
        && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, seq, Arrays.hashCode(publicKey), Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    String pk = HexFormat.of().formatHex(publicKey);
    return "Signature{publicKey=" + (pk.length() > 16 ? pk.substring(0, 16) + "…" : pk)
        + ", name=" + name + ", seq=" + seq + "}";
  }
}
