package io.kadmesh.core.node;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Checks what applications and peers send against the configured limits (key length, value size,
 * TTL, a peer's expiry); the one place for them. Messages name the field and the limit.
 */
final class Limits {
  /** How far beyond now + maxTtl a peer's expiry may reach: clocks of peers differ a little. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

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

  /** A record a peer asks this node to hold. */
  void checkIncoming(ValueRecord record, Instant now) {
    checkValueSize(record.valueSize());
    Instant latest = now.plus(config.maxTtl()).plus(CLOCK_SKEW);
    if (record.expiresAt().isAfter(latest)) {
      throw DhtException.invalid("expires_at " + record.expiresAt() + " is beyond the maximum ttl of "
          + config.maxTtl());
    }
  }
}
