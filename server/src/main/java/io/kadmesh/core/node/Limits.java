package io.kadmesh.core.node;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Checks what applications and peers send against the configured limits (key length, value size,
 * TTL, a peer's expiry); the one place for them. Messages name the field and the limit.
 */
final class Limits {
  private final NodeConfig config;

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
   * Besides size and expiry it bounds the version: versions are microseconds since the epoch, so
   * one far ahead of this node's clock (a forged sequence, or a writer whose clock runs fast)
   * would win over every later write until it expired; it is refused instead.
   */
  void checkIncoming(ValueRecord record, Instant now) {
    checkValueSize(record.valueSize());
    Duration skew = config.maxClockSkew();
    Instant latest = now.plus(config.maxTtl()).plus(skew);
    if (record.expiresAt().isAfter(latest)) {
      throw DhtException.invalid("expires_at " + record.expiresAt() + " is beyond the maximum ttl of "
          + config.maxTtl());
    }
    if (!isWithinSkew(record.version(), now)) {
      long sequence = record.version().sequence();
      throw DhtException.invalid("record.version.sequence " + sequence + " ("
          + VersionClock.instant(sequence) + ") is more than the maximum clock skew of " + skew
          + " (--max-clock-skew) ahead of this node's clock (" + now + ")");
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
