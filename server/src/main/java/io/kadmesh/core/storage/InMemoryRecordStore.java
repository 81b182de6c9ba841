package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A {@link RecordStore} in a sorted map (so that a scan resumes after a key), with an index by
 * expiry so that a purge visits only the records that expired. Lost on restart; for tests, the
 * simulator and {@code --in-memory}.
 */
public final class InMemoryRecordStore implements RecordStore {
  private static final Comparator<ValueRecord> BY_EXPIRY =
      Comparator.comparing(ValueRecord::expiresAt).thenComparing(StoredKey::of);

  private final long maxRecords;
  private final long maxStoredBytes;
  private final NavigableMap<StoredKey, Held> records = new TreeMap<>();
  private final TreeSet<ValueRecord> byExpiry = new TreeSet<>(BY_EXPIRY);
  private final PlacerAccounts placers = new PlacerAccounts();
  private long storedBytes;
  private long examinedByLastPurge;

  public InMemoryRecordStore(long maxRecords, long maxStoredBytes) {
    if (maxRecords < 1 || maxStoredBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxRecords = maxRecords;
    this.maxStoredBytes = maxStoredBytes;
  }

  @Override
  public synchronized PutOutcome put(ValueRecord record, NodeId placer, PeerQuota quota) {
    StoredKey at = StoredKey.of(record);
    Held held = records.get(at);
    if (held != null) {
      int c = record.version().compareTo(held.record.version());
      if (c == 0) return PutOutcome.ALREADY_HELD;
      if (c < 0) return PutOutcome.STALE;
    }
    long heldBytes = held == null ? 0 : held.record.storedBytes();
    long count = records.size() + (held == null ? 1 : 0);
    long bytes = storedBytes + record.storedBytes() - heldBytes;
    if (count > maxRecords || bytes > maxStoredBytes) {
      return PutOutcome.FULL;
    }
    if (!placers.admits(placer, quota, record.storedBytes(), held == null ? null : held.placer,
        heldBytes)) {
      return PutOutcome.SENDER_FULL;
    }
    if (held != null) {
      byExpiry.remove(held.record);
      placers.remove(held.placer, heldBytes);
    }
    records.put(at, new Held(record, placer));
    byExpiry.add(record);
    placers.add(placer, record.storedBytes());
    storedBytes = bytes;
    return PutOutcome.STORED;
  }

  @Override
  public synchronized Usage placedBy(NodeId placer) {
    return placers.usage(placer);
  }

  @Override
  public synchronized int placerCount() {
    return placers.size();
  }

  @Override
  public synchronized Optional<ValueRecord> get(NodeId key, RecordKind kind, Instant now) {
    Held h = records.get(new StoredKey(key, kind));
    return h == null || h.record.isExpiredAt(now) ? Optional.empty() : Optional.of(h.record);
  }

  @Override
  public synchronized List<ValueRecord> getAll(NodeId key, RecordKind kind, Instant now) {
    List<ValueRecord> out = new ArrayList<>();
    for (Held h : records.tailMap(new StoredKey(key, kind), true).values()) {
      if (!h.record.key().equals(key) || h.record.kind() != kind) break;
      if (!h.record.isExpiredAt(now)) out.add(h.record);
    }
    return out;
  }

  @Override
  public synchronized int purgeExpired(Instant now) {
    int purged = 0;
    long examined = 0;
    for (Iterator<ValueRecord> it = byExpiry.iterator(); it.hasNext(); ) {
      ValueRecord r = it.next();
      examined++;
      if (!r.isExpiredAt(now)) break;
      it.remove();
      placers.remove(records.remove(StoredKey.of(r)).placer, r.storedBytes());
      storedBytes -= r.storedBytes();
      purged++;
    }
    examinedByLastPurge = examined;
    return purged;
  }

  @Override
  public synchronized List<ValueRecord> scan(StoredKey after, int limit, Instant now) {
    List<ValueRecord> page = new ArrayList<>(Math.min(limit, SCAN_BATCH));
    for (Held h : (after == null ? records : records.tailMap(after, false)).values()) {
      if (page.size() >= limit) break;
      if (!h.record.isExpiredAt(now)) page.add(h.record);
    }
    return page;
  }

  @Override
  public synchronized long recordCount() {
    return records.size();
  }

  @Override
  public synchronized long storedBytes() {
    return storedBytes;
  }

  /** Records the last purge looked at: the expired ones plus one, thanks to the expiry index. */
  synchronized long examinedByLastPurge() {
    return examinedByLastPurge;
  }

  @Override
  public String engine() {
    return "memory";
  }

  @Override
  public void close() {}

  /** A record and who placed it (null: this node). */
  private record Held(ValueRecord record, NodeId placer) {}
}
