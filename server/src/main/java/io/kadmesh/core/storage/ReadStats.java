package io.kadmesh.core.storage;

import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node last served each record it holds, and how often: the side table of the
 * inventory (Admin's ListRecords). Kept in memory only, so it starts empty after a restart. One
 * small entry per record read, keyed like the store ({@link StoredKey}), never more than the
 * records held: {@link #prune} drops the entries of records the store no longer holds, and the
 * node runs it after each expiry purge. Thread-safe.
 */
public final class ReadStats {
  /** A record's reads: the last one and how many. */
  public record Reads(Instant lastReadAt, long count) {
    /** A record not read since the node started. */
    public static final Reads NONE = new Reads(null, 0);
  }

  private final Map<StoredKey, Reads> reads = new ConcurrentHashMap<>();

  /** The node served {@code record} (to a peer's FindValue, a Get, Resolve or Watch) at {@code now}. */
  public void served(ValueRecord record, Instant now) {
    reads.merge(StoredKey.of(record), new Reads(now, 1), (old, one) -> new Reads(
        old.lastReadAt().isAfter(now) ? old.lastReadAt() : now, old.count() + 1));
  }

  /** The reads of the record held at {@code at}; {@link Reads#NONE} when it was not read. */
  public Reads of(StoredKey at) {
    return reads.getOrDefault(at, Reads.NONE);
  }

  /** How many records have an entry. */
  public int size() {
    return reads.size();
  }

  /**
   * Drops the entries of records {@code store} no longer holds by {@code now} (expired, purged, or
   * never kept); answers how many. A record replaced by a newer version keeps its entry: reads
   * count per slot, not per version.
   */
  public int prune(RecordStore store, Instant now) {
    int dropped = 0;
    for (Iterator<StoredKey> it = reads.keySet().iterator(); it.hasNext(); ) {
      StoredKey at = it.next();
      if (!holds(store, at, now)) {
        it.remove();
        dropped++;
      }
    }
    return dropped;
  }

  private static boolean holds(RecordStore store, StoredKey at, Instant now) {
    if (at.kind() != RecordKind.ENDPOINT) {
      return store.get(at.key(), at.kind(), now).isPresent();
    }
    return store.getAll(at.key(), at.kind(), now).stream().anyMatch(r -> StoredKey.of(r).equals(at));
  }
}
