package io.kadmesh.core.node;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks what applications and peers send against the configured limits (key length, value size,
 * TTL, a peer's expiry) and the proofs records carry (a signed record's or endpoint entry's
 * signature, a content record's hash); the one place for them. Messages name the field and the
 * limit.
 */
final class Limits {
  private final NodeConfig config;
  private final SignatureVerifier signatures = new SignatureVerifier(SignatureVerifier.CAPACITY);

  Limits(NodeConfig config) {
    this.config = config;
  }

  /** An application key's DHT ID, SHA-256 of its UTF-8 bytes, once it is 1 to maxKeyBytes long. */
  NodeId key(String key) {
    if (key.isEmpty()) {
      throw DhtException.invalid("key must not be empty");
    }
    int bytes = key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > config.maxKeyBytes()) {
      throw DhtException.invalid("key is " + bytes + " bytes, the limit is " + config.maxKeyBytes());
    }
    return NodeId.ofKey(key);
  }

  void checkValue(byte[] value) {
    checkValueSize(value.length);
  }

  private void checkValueSize(int bytes) {
    if (bytes > config.maxValueBytes()) {
      throw DhtException.exhausted("value is " + bytes + " bytes, over the limit of "
          + config.maxValueBytes() + " bytes");
    }
  }

  /** The TTL to use: the default for null, else one in (0, maxTtl]. */
  Duration ttl(Duration ttl) {
    if (ttl == null) return config.defaultTtl();
    if (ttl.isNegative() || ttl.isZero()) {
      throw DhtException.invalid("ttl must be positive and at most " + config.maxTtl() + ", got " + ttl);
    }
    if (ttl.compareTo(config.maxTtl()) > 0) {
      throw DhtException.invalid("ttl " + ttl + " exceeds the limit of " + config.maxTtl());
    }
    return ttl;
  }

  /**
   * Whether {@link #checkIncoming} passes: a record this node holds is checked again before it is
   * served, for it may have been kept by an older build, or under looser limits than today's.
   */
  boolean admits(ValueRecord record, Instant now) {
    try {
      checkIncoming(record, now);
      return true;
    } catch (DhtException e) {
      return false;
    }
  }

  /**
   * A record from anywhere but this node's own write (a peer's STORE, a lookup's answer, read
   * repair, hand-off, republish): the one gate all of them pass before a record is kept or served.
   * Besides size and expiry it bounds the version of plain and content records: versions are
   * microseconds since the epoch, so one far ahead of this node's clock (a forged sequence, or a
   * writer whose clock runs fast) would win over every later write until it expired; it is refused
   * instead. A signed record's seq is no clock and is not bounded: its owner alone can raise it.
   * Last, the record's proof ({@link #checkProof}).
   */
  void checkIncoming(ValueRecord record, Instant now) {
    checkValueSize(record.valueSize());
    Duration skew = config.maxClockSkew();
    Instant latest = now.plus(config.maxTtl()).plus(skew);
    if (record.expiresAt().isAfter(latest)) {
      throw DhtException.invalid("expires_at " + record.expiresAt() + " is beyond the maximum ttl of "
          + config.maxTtl());
    }
    if (!ValueRecord.isSignedKind(record.kind()) && !isWithinSkew(record.version(), now)) {
      long sequence = record.version().sequence();
      throw DhtException.invalid("record.version.sequence " + sequence + " ("
          + VersionClock.instant(sequence) + ") is more than the maximum clock skew of " + skew
          + " (--max-clock-skew) ahead of this node's clock (" + now + ")");
    }
    checkProof(record, "record.signature.");
  }

  /**
   * The proof that binds a record to its key, checked wherever the record comes from, this node's
   * own writes included: a content record's key is SHA-256 of its value; a signed record's public
   * key, name, seq and expiry are well-formed, its key is SHA-256(public key ‖ name), and its
   * signature verifies. {@code signatureField} names the signature's fields in messages
   * ("record.signature." for a peer's record, "record." for an application's SignedRecord).
   */
  void checkProof(ValueRecord record, String signatureField) {
    switch (record.kind()) {
      case PLAIN -> { }
      case CONTENT -> {
        // No tombstone to refuse: a content record cannot be one (ValueRecord refuses to make it).
        if (!record.key().equals(contentKey(record.valueUnsafe()))) {
          throw DhtException.invalid("record.key is not SHA-256(value): a content record's key "
              + "must be the hash of its value");
        }
      }
      case SIGNED -> checkSignature(record, signatureField);
      case ENDPOINT -> checkEndpoint(record, signatureField);
    }
  }

  /** A content record's DHT key: SHA-256 of its value. */
  static NodeId contentKey(byte[] value) {
    return NodeId.fromBytes(RecordKeys.contentKey(value));
  }

  /**
   * A signed record's DHT key, SHA-256(public key ‖ UTF-8 name), once the public key is 32 bytes
   * and the name 1 to maxKeyBytes bytes; {@code field} prefixes the fields' names in messages.
   */
  NodeId signedKey(byte[] publicKey, String name, String field) {
    if (publicKey.length != Ed25519Keys.PUBLIC_KEY_BYTES) {
      throw DhtException.invalid(field + "public_key must be " + Ed25519Keys.PUBLIC_KEY_BYTES
          + " bytes (a raw Ed25519 public key), got " + publicKey.length);
    }
    int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (nameBytes < 1 || nameBytes > config.maxKeyBytes()) {
      throw DhtException.invalid(field + "name must be 1 to " + config.maxKeyBytes()
          + " bytes of UTF-8, got " + nameBytes);
    }
    return NodeId.fromBytes(RecordKeys.signedKey(publicKey, name));
  }

  private void checkSignature(ValueRecord record, String field) {
    RecordSignature s = record.signature();
    byte[] publicKey = s.publicKey();
    NodeId key = signedKey(publicKey, s.name(), field);
    checkSignatureFields(record, field);
    if (!record.key().equals(key)) {
      throw DhtException.invalid("record.key is not SHA-256(public_key ‖ name) of the record's "
          + "signature");
    }
    SignedPayload payload = new SignedPayload(s.name(), s.seq(), record.valueUnsafe(),
        record.expiresAt().getEpochSecond(), record.isTombstone());
    if (!signatures.verifies(publicKey, payload, s.signature())) {
      throw DhtException.invalid("record.signature does not verify for public key "
          + HexFormat.of().formatHex(publicKey) + ": it must be the key owner's Ed25519 signature "
          + "of the record's name, seq, value, expiry and tombstone flag");
    }
  }

  /**
   * An endpoint entry's proof: its value is one well-formed {@link EndpointEntry}, withdrawn or
   * not; the record's key is its service's key; the signature names the entry's address, and is
   * the announcer's over the {@link SignedPayload.Domain#ENDPOINT} payload. So a peer can neither
   * forge another announcer's entry, nor move an entry to another service or address.
   */
  private void checkEndpoint(ValueRecord record, String field) {
    RecordSignature s = record.signature();
    byte[] publicKey = s.publicKey();
    if (publicKey.length != Ed25519Keys.PUBLIC_KEY_BYTES) {
      throw DhtException.invalid(field + "public_key must be " + Ed25519Keys.PUBLIC_KEY_BYTES
          + " bytes (a raw Ed25519 public key), got " + publicKey.length);
    }
    checkSignatureFields(record, field);
    EndpointEntry entry;
    try {
      entry = EndpointEntry.decode(record.valueUnsafe());
    } catch (IllegalArgumentException e) {
      throw DhtException.invalid("record.value is not an endpoint entry: " + e.getMessage());
    }
    if (!record.key().equals(NodeId.fromBytes(entry.serviceKey()))) {
      throw DhtException.invalid("record.key is not the key of the entry's service '"
          + entry.service() + "' (SHA-256(\"" + RecordKeys.SERVICE_KEY_PREFIX + "\" ‖ service))");
    }
    if (!s.name().equals(entry.address())) {
      throw DhtException.invalid(field + "name must be the entry's endpoint address '"
          + entry.address() + "', got '" + s.name() + "'");
    }
    SignedPayload payload = new SignedPayload(SignedPayload.Domain.ENDPOINT, s.name(), s.seq(),
        record.valueUnsafe(), record.expiresAt().getEpochSecond(), record.isTombstone());
    if (!signatures.verifies(publicKey, payload, s.signature())) {
      throw DhtException.invalid("record.signature does not verify for public key "
          + HexFormat.of().formatHex(publicKey) + ": it must be the announcer's Ed25519 signature "
          + "of the entry's address, seq, entry, expiry and withdrawn flag");
    }
  }

  /** The seq, expiry and signature length every signed kind's proof must have. */
  private void checkSignatureFields(ValueRecord record, String field) {
    RecordSignature s = record.signature();
    if (s.seq() < 1) {
      throw DhtException.invalid(field + "seq must be 1 to 2^63-1, got " + s.seq());
    }
    if (record.expiresAt().getNano() != 0) {
      throw DhtException.invalid("record.expires_at must be whole seconds for a signed record "
          + "(the signature covers its seconds), got " + record.expiresAt());
    }
    if (s.signature().length != SignedPayload.SIGNATURE_BYTES) {
      throw DhtException.invalid(field + "signature must be " + SignedPayload.SIGNATURE_BYTES
          + " bytes (an Ed25519 signature), got " + s.signature().length);
    }
  }

  /**
   * An application's signed record as {@code PutSigned} receives it: its expiry in the future and
   * at most the maximum TTL away, then its proof, with the SignedRecord's field names.
   */
  void checkOwnSigned(ValueRecord record, Instant now) {
    checkValueSize(record.valueSize());
    if (record.kind() != RecordKind.SIGNED) {
      throw new IllegalArgumentException("not a signed record: " + record);
    }
    Instant expiresAt = record.expiresAt();
    if (expiresAt.getNano() != 0 || !expiresAt.isAfter(now)
        || expiresAt.isAfter(now.plus(config.maxTtl()))) {
      throw DhtException.invalid("record.expires_at must be whole seconds in the future, at most "
          + config.maxTtl() + " away, got " + expiresAt);
    }
    checkProof(record, "record.");
  }

  /**
   * An endpoint entry this node's application publishes ({@code putEndpoint}): its expiry in the
   * future and at most the maximum TTL away, then its proof.
   */
  void checkOwnEndpoint(ValueRecord record, Instant now) {
    if (record.kind() != RecordKind.ENDPOINT) {
      throw new IllegalArgumentException("not an endpoint record: " + record);
    }
    checkValueSize(record.valueSize());
    Instant expiresAt = record.expiresAt();
    if (expiresAt.getNano() != 0 || !expiresAt.isAfter(now)
        || expiresAt.isAfter(now.plus(config.maxTtl()))) {
      throw DhtException.invalid("record.expires_at must be whole seconds in the future, at most "
          + config.maxTtl() + " away, got " + expiresAt);
    }
    checkProof(record, "record.");
  }

  /** A service name's key, once the name is 1 to {@link EndpointEntry#MAX_SERVICE_BYTES} bytes. */
  NodeId serviceKey(String service) {
    int bytes = service.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > EndpointEntry.MAX_SERVICE_BYTES) {
      throw DhtException.invalid("service must be 1 to " + EndpointEntry.MAX_SERVICE_BYTES
          + " bytes of UTF-8, got " + bytes);
    }
    return NodeId.fromBytes(RecordKeys.serviceKey(service));
  }

  /**
   * A peer's set of endpoint entries for {@code key} (a FIND_VALUE answer): no more entries than
   * this node keeps for a service, nor more of one announcer key than it keeps per announcer, each
   * of that key, an endpoint entry, and through the record gate. An honest peer with the same
   * limits never sends more; one that does is lying, and its whole answer is refused.
   */
  void checkEndpointSet(NodeId key, List<ValueRecord> entries, Instant now) {
    if (entries.size() > config.maxServiceEntries()) {
      throw DhtException.exhausted("the answer has " + entries.size() + " endpoint entries; the "
          + "limit per service is " + config.maxServiceEntries() + " (--max-service-entries)");
    }
    Map<NodeId, Integer> perAnnouncer = new HashMap<>();
    for (ValueRecord r : entries) {
      if (!r.key().equals(key) || r.kind() != RecordKind.ENDPOINT) {
        throw DhtException.invalid("asked for the endpoint entries of " + key.shortHex()
            + ", answered with the " + r.kind() + " record of " + r.key().shortHex());
      }
      int n = perAnnouncer.merge(NodeId.ofBytes(r.signature().publicKey()), 1, Integer::sum);
      if (n > config.maxEntriesPerAnnouncer()) {
        throw DhtException.exhausted("the answer has more than " + config.maxEntriesPerAnnouncer()
            + " endpoint entries of one announcer key (--max-entries-per-announcer)");
      }
      checkIncoming(r, now);
    }
  }

  /**
   * Whether {@code version} lies at most the maximum clock skew ahead of {@code now}: the version
   * part of {@link #checkIncoming}, alone for a version a peer reports without its record (a
   * STORE answer's newer version held), which must not push this node's clock further ahead.
   */
  boolean isWithinSkew(Version version, Instant now) {
    return version.sequence() <= VersionClock.micros(now.plus(config.maxClockSkew()));
  }
}
