package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The records a node holds for the network. Keeps at most one record per key, kind and sub-key
 * ({@link StoredKey}: one per key and kind, except that an endpoint entry has a slot of its own
 * per announcer key and address under its service's key), the newest version; a write of an
 * older version is ignored, so replicas converge whatever order writes arrive in. Records of different kinds under one key never meet:
 * each kind has its own slot, and no kind takes precedence over another.
 * Remembers who placed each record (the peer whose STORE created the version held), so that one
 * sender's share of the store can be bounded. Implementations are thread-safe. Made for both
 * in-memory and persistent implementations.
 */
public interface RecordStore extends AutoCloseable {
  /** Records a walk over the store ({@link #forEach}) holds in heap at once. */
  int SCAN_BATCH = 256;

  /** What {@link #put} did. */
  enum PutOutcome {
    /** The record is now held (it was new, or newer than the one held). */
    STORED,
    /** The same version was already held. */
    ALREADY_HELD,
    /** A newer version is held; the record was ignored. */
    STALE,
    /** Holding it would break the store's byte or record limit. */
    FULL,
    /** Holding it would take its placer past the {@link PeerQuota} it was put with. */
    SENDER_FULL
  }

  /** What the records one placer placed here add up to. */
  record Usage(long records, long bytes) {
    public static final Usage NONE = new Usage(0, 0);
  }

  /** How much one placer's records may add up to in this store. */
  record PeerQuota(long maxRecords, long maxBytes) {
    public static final PeerQuota UNLIMITED = new PeerQuota(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** Stores a record this node itself wrote (or chose to keep): no placer's quota applies. */
  default PutOutcome put(ValueRecord record) {
    return put(record, null, PeerQuota.UNLIMITED);
  }

  /**
   * Stores {@code record} unless a version as new or newer is held, or it does not fit the
   * store's limits or {@code placer}'s {@code quota}. When stored, the record counts against
   * {@code placer} (null: this node, which no quota bounds) until it is replaced, purged or the
   * store forgets it; a newer version moves it to its own placer's account.
   */
  PutOutcome put(ValueRecord record, NodeId placer, PeerQuota quota);

  /** What the records {@code placer} placed here add up to (expired ones until purged). */
  Usage placedBy(NodeId placer);

  /**
   * How many placers hold records here: the per-placer accounts, never more than the records
   * held, since an account goes as soon as its last record does.
   */
  int placerCount();

  /**
   * The record of {@code kind} held for {@code key}, tombstones included, unless it expired by
   * {@code now}; for a kind that holds a set ({@link RecordKind#ENDPOINT}), the one with the empty
   * sub-key, which is never held: read the set with {@link #getAll}.
   */
  Optional<ValueRecord> get(NodeId key, RecordKind kind, Instant now);

  /** The plain record held for {@code key} ({@link #get(NodeId, RecordKind, Instant)}). */
  default Optional<ValueRecord> get(NodeId key, Instant now) {
    return get(key, RecordKind.PLAIN, now);
  }

  /**
   * Every record of {@code kind} held for {@code key} that has not expired by {@code now},
   * tombstones included, in ascending sub-key order: the set of an endpoint's service, or at most
   * one record for the other kinds.
   */
  default List<ValueRecord> getAll(NodeId key, RecordKind kind, Instant now) {
    return get(key, kind, now).map(List::of).orElse(List.of());
  }

  /** Drops the records that expired by {@code now}; answers how many. */
  int purgeExpired(Instant now);

  /**
   * Up to {@code limit} records of every kind held above {@code after} (null: from the first)
   * that have not expired by {@code now}, in ascending {@link StoredKey} order (key, kind,
   * sub-key); a page shorter than {@code limit} is the last. Pass the last record's {@link StoredKey#of} of
   * a page to get the next, so that a walk over the whole store holds one page at a time. Records
   * written meanwhile may or may not be seen.
   */
  List<ValueRecord> scan(StoredKey after, int limit, Instant now);

  /**
   * Visits every record held that has not expired by {@code now}, a page of {@link #SCAN_BATCH}
   * at a time; no lock is held while {@code action} runs, so it may write to the store.
   */
  default void forEach(Instant now, Consumer<ValueRecord> action) {
    StoredKey after = null;
    List<ValueRecord> page;
    do {
      page = scan(after, SCAN_BATCH, now);
      page.forEach(action);
      if (!page.isEmpty()) after = StoredKey.of(page.get(page.size() - 1));
    } while (page.size() == SCAN_BATCH);
  }

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
