package io.kadmesh.core.watch;

import io.kadmesh.core.ValueRecord;
import java.util.Objects;

/**
 * One event of a watch: a change of the watched key or service, or a marker. {@code record} is the
 * key's record for VALUE and DELETED (null for a DELETED without a version: never written, or
 * expired), the endpoint's entry for the ENDPOINT_* types (for a removal, as it last was), and null
 * for the markers.
 */
public record WatchEvent(Type type, ValueRecord record) {
  /** What an event reports; the names of Dht.Watch's event types. */
  public enum Type {
    VALUE, DELETED, ENDPOINT_ADDED, ENDPOINT_UPDATED, ENDPOINT_REMOVED, SYNCED, RESYNC
  }

  public static final WatchEvent SYNCED = new WatchEvent(Type.SYNCED, null);
  public static final WatchEvent RESYNC = new WatchEvent(Type.RESYNC, null);

  public WatchEvent {
    Objects.requireNonNull(type, "type");
  }
}
