package io.kadmesh.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.kadmesh.proto.v1.PutSignedRequest;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.SignedPayload;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The signed records of one owner, written through a {@link KadmeshClient}: the client signs each
 * record with the owner's Ed25519 key pair (the private key never leaves the process) and the node
 * stores it under SHA-256(public key ‖ name). Obtained from {@link KadmeshClient#signedBy}.
 *
 * <p>Seqs: {@link #put} and {@link #delete} read the newest record and sign the seq after it (1
 * when there is none), so that the write replaces it; a concurrent writer with the same key may
 * still come first, which fails the write with {@link KadmeshException#isLostToNewerVersion()}.
 * {@link #compareAndPut} and {@link #compareAndDelete} write only over the seq the caller expects,
 * and fail with {@link KadmeshException#isSeqMismatch()} otherwise.
 *
 * <p>Expiry: the signed expiry is the clock's now plus the TTL (24 hours unless given, like a plain
 * put; a node refuses more than its maximum, 7 days by default), truncated to whole seconds. A
 * tombstone from {@link #delete} lives at least as long as the record it replaces, so that no
 * replica that missed it serves that record again after it expired.
 */
public final class SignedRecords {

  /** The TTL of a signed write that names none: the node's default for a plain put. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  private final KadmeshClient client;
  private final KeyPair keys;
  private final byte[] publicKey;
  private final InstantSource clock;

  SignedRecords(KadmeshClient client, KeyPair keys, InstantSource clock) {
    this.client = client;
    this.keys = keys;
    this.publicKey = Ed25519Keys.raw(keys.getPublic());
    this.clock = clock;
  }

  /** The owner's raw 32-byte public key: what readers pass to {@link KadmeshClient#getSigned}. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The owner's public key as 64 lowercase hex digits, as {@code kadmesh get --public-key} takes. */
  public String publicKeyHex() {
    return HexFormat.of().formatHex(publicKey);
  }

  /** The owner's newest record of {@code name}, verified: {@link KadmeshClient#getSigned}. */
  public SignedEntry get(String name) {
    return client.getSigned(publicKey, name);
  }

  /** Signs and stores a value over the newest record of {@code name}, for {@link #DEFAULT_TTL}. */
  public SignedWriteResult put(String name, byte[] value) {
    return put(name, value, DEFAULT_TTL);
  }

  /** Signs and stores a string, encoded as UTF-8, for {@link #DEFAULT_TTL}. */
  public SignedWriteResult put(String name, String value) {
    return put(name, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
  }

  /** Signs and stores a value over the newest record of {@code name}, kept for {@code ttl}. */
  public SignedWriteResult put(String name, byte[] value, Duration ttl) {
    return write(name, after(get(Objects.requireNonNull(name, "name")).seq()), value, ttl, false, null);
  }

  /**
   * Signs and stores a value as seq {@code expectedSeq + 1} if the newest record of {@code name}
   * has seq {@code expectedSeq} (0: there is none), for {@link #DEFAULT_TTL}.
   */
  public SignedWriteResult compareAndPut(String name, long expectedSeq, byte[] value) {
    return compareAndPut(name, expectedSeq, value, DEFAULT_TTL);
  }

  /** {@link #compareAndPut(String, long, byte[])}, kept for {@code ttl}. */
  public SignedWriteResult compareAndPut(String name, long expectedSeq, byte[] value, Duration ttl) {
    return write(name, after(expectedSeq), value, ttl, false, expectedSeq);
  }

  /**
   * Signs and stores a tombstone over the newest record of {@code name}, for {@link #DEFAULT_TTL}
   * or until that record expires, whichever is later.
   */
  public SignedWriteResult delete(String name) {
    SignedEntry newest = get(Objects.requireNonNull(name, "name"));
    Duration ttl = DEFAULT_TTL;
    if (newest.expiresAt() != null) {
      Duration untilReplacedExpires = Duration.between(clock.instant(), newest.expiresAt());
      ttl = untilReplacedExpires.compareTo(ttl) > 0 ? untilReplacedExpires : ttl;
    }
    return write(name, after(newest.seq()), new byte[0], ttl, true, null);
  }

  /** Signs and stores a tombstone if the newest record of {@code name} has seq {@code expectedSeq}. */
  public SignedWriteResult compareAndDelete(String name, long expectedSeq) {
    return write(name, after(expectedSeq), new byte[0], DEFAULT_TTL, true, expectedSeq);
  }

  private static long after(long seq) {
    if (seq < 0 || seq == Long.MAX_VALUE) {
      throw new IllegalArgumentException(
          "seq " + Long.toUnsignedString(seq) + " has no successor: seqs run from 1 to 2^63-1");
    }
    return seq + 1;
  }

  private SignedWriteResult write(
      String name, long seq, byte[] value, Duration ttl, boolean tombstone, Long expectedSeq) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    long expiresAt = clock.instant().plus(ttl).getEpochSecond();
    SignedPayload payload = new SignedPayload(name, seq, value, expiresAt, tombstone);
    PutSignedRequest.Builder request = PutSignedRequest.newBuilder()
        .setRecord(SignedRecord.newBuilder()
            .setPublicKey(ByteString.copyFrom(publicKey))
            .setName(name)
            .setSeq(seq)
            .setValue(ByteString.copyFrom(value))
            .setExpiresAt(Timestamp.newBuilder().setSeconds(expiresAt))
            .setTombstone(tombstone)
            .setSignature(ByteString.copyFrom(payload.sign(keys.getPrivate()))));
    if (expectedSeq != null) {
      request.setExpectedSeq(expectedSeq);
    }
    return client.putSigned(request.build());
  }
}
