package io.kadmesh.client;

import java.time.Instant;
import java.util.Objects;

/**
 * One event of a watch ({@link KadmeshClient#watchKey}, {@link KadmeshClient#watchService}): a
 * change of the key or service, or a marker. Per key and per endpoint, versions only grow; changes
 * close together may arrive as one (the newest); a possible gap is announced by {@link Type#RESYNC},
 * after which the whole state follows, then {@link Type#SYNCED}.
 *
 * @param type what happened
 * @param value for VALUE: the key's value (use {@link #value()}, which copies)
 * @param version for VALUE and DELETED: the version written; null for a key never written or
 *     whose value expired
 * @param expiresAt for VALUE: when the value expires; null otherwise
 * @param endpoint for the ENDPOINT_* types: the endpoint (for a removal, as it last was); null
 *     otherwise
 */
public record WatchEvent(Type type, byte[] value, ValueVersion version, Instant expiresAt,
    ServiceEndpoint endpoint) {
  /** What an event reports. */
  public enum Type {
    /** The key holds this value (its first state, or a newer version). */
    VALUE,
    /** The key holds no value: never written, deleted, or expired. */
    DELETED,
    /** An endpoint appeared. */
    ENDPOINT_ADDED,
    /** An endpoint's entry changed (metadata, expiry). */
    ENDPOINT_UPDATED,
    /** An endpoint was withdrawn or expired. */
    ENDPOINT_REMOVED,
    /** The events before this one, since the start or since RESYNC, are the whole current state. */
    SYNCED,
    /** The node may have missed changes: the whole state follows, then SYNCED; replace yours. */
    RESYNC
  }

  public WatchEvent {
    Objects.requireNonNull(type, "type");
    value = value == null ? new byte[0] : value.clone();
  }

  /** A copy of the value's bytes (empty unless VALUE). */
  @Override
  public byte[] value() {
    return value.clone();
  }
}
