package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A {@link RecordStore} in a hash map, with an index by expiry so that a purge visits only the
 * records that expired. Lost on restart; for tests, the simulator and {@code --in-memory}.
 */
public final class InMemoryRecordStore implements RecordStore {
  private static final Comparator<ValueRecord> BY_EXPIRY =
      Comparator.comparing(ValueRecord::expiresAt).thenComparing(ValueRecord::key);

  private final long maxRecords;
  private final long maxStoredBytes;
  private final Map<NodeId, ValueRecord> records = new HashMap<>();
  private final TreeSet<ValueRecord> byExpiry = new TreeSet<>(BY_EXPIRY);
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
  public synchronized PutOutcome put(ValueRecord record) {
    ValueRecord held = records.get(record.key());
    if (held != null) {
      int c = record.version().compareTo(held.version());
      if (c == 0) return PutOutcome.ALREADY_HELD;
      if (c < 0) return PutOutcome.STALE;
    }
    long count = records.size() + (held == null ? 1 : 0);
    long bytes = storedBytes + record.storedBytes() - (held == null ? 0 : held.storedBytes());
    if (count > maxRecords || bytes > maxStoredBytes) {
      return PutOutcome.FULL;
    }
    if (held != null) {
      byExpiry.remove(held);
    }
    records.put(record.key(), record);
    byExpiry.add(record);
    storedBytes = bytes;
    return PutOutcome.STORED;
  }

  @Override
  public synchronized Optional<ValueRecord> get(NodeId key, Instant now) {
    ValueRecord r = records.get(key);
    return r == null || r.isExpiredAt(now) ? Optional.empty() : Optional.of(r);
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
      records.remove(r.key());
      storedBytes -= r.storedBytes();
      purged++;
    }
    examinedByLastPurge = examined;
    return purged;
  }

  @Override
  public void forEach(Instant now, Consumer<ValueRecord> action) {
    List<ValueRecord> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(records.values());
    }
    // Outside the lock: the action may well write back to this store (republish).
    for (ValueRecord r : snapshot) {
      if (!r.isExpiredAt(now)) action.accept(r);
    }
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
}
