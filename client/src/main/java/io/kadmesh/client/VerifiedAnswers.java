package io.kadmesh.client;

import io.kadmesh.proto.v1.GetContentResponse;
import io.kadmesh.proto.v1.GetSignedResponse;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The client's own checks of the records a node serves. Nodes verify too, but the node the client
 * talks to may lie or pass on what a peer forged: an answer that fails here becomes {@link
 * KadmeshException#isUnverifiedAnswer()}, never a value.
 */
final class VerifiedAnswers {

  private static final HexFormat HEX = HexFormat.of();

  private VerifiedAnswers() {}

  /** The newest signed record of {@code publicKey} and {@code name}, once it has passed. */
  static SignedEntry signedEntry(byte[] publicKey, String name, GetSignedResponse response) {
    String owner = HEX.formatHex(publicKey);
    if (!response.hasRecord()) {
      if (response.getFound()) {
        throw unverified("GetSigned answered found without a record for '" + name + "'");
      }
      return SignedEntry.none(owner, name);
    }
    SignedRecord record = response.getRecord();
    if (!MessageDigest.isEqual(record.getPublicKey().toByteArray(), publicKey)
        || !record.getName().equals(name)) {
      throw unverified("GetSigned for '" + name + "' of " + shortHex(owner)
          + " answered a record of another key: '" + record.getName() + "' of "
          + shortHex(HEX.formatHex(record.getPublicKey().toByteArray())));
    }
    long seq = record.getSeq();
    if (seq < 1) {
      throw unverified("GetSigned answered seq " + Long.toUnsignedString(seq) + " for '" + name
          + "'; seqs run from 1 to 2^63-1");
    }
    if (record.getTombstone() && (response.getFound() || !record.getValue().isEmpty())) {
      throw unverified("GetSigned answered a tombstone of '" + name + "' as a value");
    }
    SignedPayload payload = new SignedPayload(name, seq, record.getValue().toByteArray(),
        record.getExpiresAt().getSeconds(), record.getTombstone());
    if (!payload.verify(publicKey, record.getSignature().toByteArray())) {
      throw unverified("the record of '" + name + "' (seq " + seq
          + ") that GetSigned answered is not signed by " + shortHex(owner));
    }
    boolean found = response.getFound();
    return new SignedEntry(owner, name, found, seq,
        found ? payload.value() : new byte[0],
        Instant.ofEpochSecond(payload.expiresAtSeconds()), record.getTombstone());
  }

  /** The value stored under a content key, once it hashes to that key. */
  static Optional<ContentEntry> contentEntry(byte[] key, GetContentResponse response) {
    if (!response.getFound()) {
      return Optional.empty();
    }
    byte[] value = response.getValue().toByteArray();
    byte[] hash = RecordKeys.contentKey(value);
    if (!MessageDigest.isEqual(hash, key)) {
      throw unverified("GetContent answered a value whose SHA-256 is " + shortHex(HEX.formatHex(hash))
          + ", not the key " + shortHex(HEX.formatHex(key)));
    }
    return Optional.of(new ContentEntry(HEX.formatHex(key), value,
        ProtoConversions.instantOrNull(response.hasExpiresAt(), response.getExpiresAt())));
  }

  private static KadmeshException unverified(String description) {
    return KadmeshException.unverified(description + " (the node or a peer behind it forged it)");
  }

  private static String shortHex(String hex) {
    return hex.length() <= 16 ? hex : hex.substring(0, 16) + "…";
  }
}
