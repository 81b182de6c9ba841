package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The records a node holds for the network. Keeps at most one record per key, the newest version;
 * a write of an older version is ignored, so replicas converge whatever order writes arrive in.
 * Implementations are thread-safe. Made for both in-memory and persistent implementations.
 */
public interface RecordStore extends AutoCloseable {
  /** What {@link #put} did. */
  enum PutOutcome {
    /** The record is now held (it was new, or newer than the one held). */
    STORED,
    /** The same version was already held. */
    ALREADY_HELD,
    /** A newer version is held; the record was ignored. */
    STALE,
    /** Holding it would break the store's byte or record limit. */
    FULL
  }

  /** Stores {@code record} unless a version as new or newer is held, or it does not fit. */
  PutOutcome put(ValueRecord record);

  /** The record held for {@code key}, tombstones included, unless it expired by {@code now}. */
  Optional<ValueRecord> get(NodeId key, Instant now);

  /** Drops the records that expired by {@code now}; answers how many. */
  int purgeExpired(Instant now);

  /** Visits every record held that has not expired by {@code now} (for republishing and hand-off). */
  void forEach(Instant now, Consumer<ValueRecord> action);

  /** How many records are held, tombstones included. */
  long recordCount();

  /** How many bytes the held records cost (see {@link ValueRecord#storedBytes()}). */
  long storedBytes();

  /** The storage engine's name, as `kadmesh info` reports it ("memory", "rocksdb"). */
  default String engine() {
    return getClass().getSimpleName();
  }

  @Override
  void close();
}
