package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * A {@link RecordStore} in an embedded RocksDB: records survive restarts and crashes.
 *
 * <p>Implementation notes:
 * <ul>
 *   <li><b>Crash safety.</b> Every put, replacement and purge is one {@link WriteBatch} written
 *       through RocksDB's write-ahead log before {@link #put} returns, so a record and its expiry
 *       entry change together or not at all. By default the WAL is written without fsync
 *       ({@code syncWrites = false}): the bytes are in the operating system's page cache when a
 *       put returns, which survives the process being killed (SIGKILL, OOM killer, a JVM crash)
 *       but not a power loss or kernel crash, where the last writes (about a second) may be
 *       lost. Kademlia keeps k replicas of every record and republishes them, so that window is
 *       the cheaper trade; {@code syncWrites = true} fsyncs the WAL on every write instead. A
 *       clean {@link #close} syncs the WAL and flushes the memtables.
 *   <li><b>Newest version wins</b> as in {@link InMemoryRecordStore}: read, compare and write
 *       happen under one lock, which also keeps the limits exact. Reads take no lock.
 *   <li><b>Kinds apart.</b> A plain record is kept under its 32-byte key, a record of another
 *       kind under its key and a kind byte ({@link RecordCodec#storeKey}), an endpoint entry
 *       under those and its sub-key, so that one key holds one record of each kind (one per
 *       announcer key and address for endpoints) and the bytewise order is (key, kind, sub-key).
 *       A service's entries share a prefix, which {@link #getAll} iterates.
 *   <li><b>Expiry index.</b> A second column family, {@code expiry}, holds one empty entry per
 *       record keyed by (expiry ‖ store key) in big-endian bytes (see {@link RecordCodec}), so a purge
 *       iterates only the expired prefix and drops it with a range delete; no full scan.
 *   <li><b>Counts.</b> The record count, stored bytes and each placer's share live in memory,
 *       recomputed by one scan when the store opens (the placer is kept with each record), so
 *       {@link #recordCount}, {@link #storedBytes} and {@link #placedBy} are O(1).
 *   <li><b>Scans</b> seek an iterator past the last key of the previous page, so a walk over
 *       the store holds one page in heap and no lock between pages.
 * </ul>
 */
public final class RocksDbRecordStore implements RecordStore {
  private static final byte[] EXPIRY_FAMILY = "expiry".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EMPTY = new byte[0];
  /** Expired entries a purge drops per write batch, so that puts are never held up for long. */
  private static final int PURGE_BATCH = 1024;

  static {
    RocksDB.loadLibrary();
  }

  private final Path directory;
  private final long maxRecords;
  private final long maxStoredBytes;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final ColumnFamilyHandle records;
  private final ColumnFamilyHandle expiry;
  /** Taken shared by every operation and exclusively by close, so no call sees freed handles. */
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  /** Serializes read-compare-write, purges and the counters. */
  private final Object writeLock = new Object();
  private volatile long recordCount;
  private volatile long storedBytes;
  /** Guarded by writeLock. */
  private final PlacerAccounts placers = new PlacerAccounts();
  private long examinedByLastPurge;
  private boolean closed;

  private RocksDbRecordStore(Path directory, long maxRecords, long maxStoredBytes,
      DBOptions dbOptions, ColumnFamilyOptions familyOptions, WriteOptions writeOptions,
      RocksDB db, ColumnFamilyHandle records, ColumnFamilyHandle expiry) {
    this.directory = directory;
    this.maxRecords = maxRecords;
    this.maxStoredBytes = maxStoredBytes;
    this.dbOptions = dbOptions;
    this.familyOptions = familyOptions;
    this.writeOptions = writeOptions;
    this.db = db;
    this.records = records;
    this.expiry = expiry;
  }

  /** Opens (creating if needed) the store in {@code directory}, WAL written without fsync. */
  public static RocksDbRecordStore open(Path directory, long maxRecords, long maxStoredBytes)
      throws IOException {
    return open(directory, maxRecords, maxStoredBytes, false);
  }

  /**
   * Opens (creating if needed) the store in {@code directory}; a store left by a killed process
   * opens too (RocksDB replays its WAL). {@code syncWrites} fsyncs the WAL on every write.
   */
  public static RocksDbRecordStore open(Path directory, long maxRecords, long maxStoredBytes,
      boolean syncWrites) throws IOException {
    if (maxRecords < 1 || maxStoredBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    Files.createDirectories(directory);
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setKeepLogFileNum(3)
        .setMaxLogFileSize(8L << 20);
    ColumnFamilyOptions familyOptions = new ColumnFamilyOptions();
    WriteOptions writeOptions = new WriteOptions().setSync(syncWrites);
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    RocksDB db;
    try {
      db = RocksDB.open(dbOptions, directory.toString(), List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, familyOptions),
          new ColumnFamilyDescriptor(EXPIRY_FAMILY, familyOptions)), handles);
    } catch (RocksDBException e) {
      writeOptions.close();
      familyOptions.close();
      dbOptions.close();
      throw new IOException("could not open the record store in " + directory + ": "
          + e.getMessage(), e);
    }
    RocksDbRecordStore store = new RocksDbRecordStore(directory, maxRecords, maxStoredBytes,
        dbOptions, familyOptions, writeOptions, db, handles.get(0), handles.get(1));
    store.recount();
    return store;
  }

  private void recount() {
    long count = 0;
    long bytes = 0;
    synchronized (writeLock) {
      try (RocksIterator it = db.newIterator(records)) {
        for (it.seekToFirst(); it.isValid(); it.next()) {
          byte[] value = it.value();
          long cost = RecordCodec.storedBytes(value);
          count++;
          bytes += cost;
          placers.add(RecordCodec.placerOf(RecordCodec.storedKeyOf(it.key()).key(), value), cost);
        }
      }
      recordCount = count;
      storedBytes = bytes;
    }
  }

  @Override
  public PutOutcome put(ValueRecord record, NodeId placer, PeerQuota quota) {
    Lock shared = openShared();
    try {
      synchronized (writeLock) {
        StoredKey at = StoredKey.of(record);
        byte[] key = RecordCodec.storeKey(at);
        byte[] heldBytes = db.get(records, key);
        ValueRecord held = heldBytes == null ? null : RecordCodec.decode(record.key(), heldBytes);
        NodeId heldPlacer = held == null ? null : RecordCodec.placerOf(record.key(), heldBytes);
        long heldCost = held == null ? 0 : held.storedBytes();
        if (held != null) {
          int c = record.version().compareTo(held.version());
          if (c == 0) return PutOutcome.ALREADY_HELD;
          if (c < 0) return PutOutcome.STALE;
        }
        long count = recordCount + (held == null ? 1 : 0);
        long bytes = storedBytes + record.storedBytes() - heldCost;
        if (count > maxRecords || bytes > maxStoredBytes) {
          return PutOutcome.FULL;
        }
        if (!placers.admits(placer, quota, record.storedBytes(), heldPlacer, heldCost)) {
          return PutOutcome.SENDER_FULL;
        }
        try (WriteBatch batch = new WriteBatch()) {
          if (held != null) {
            batch.delete(expiry, RecordCodec.expiryKey(held.expiresAt(), at));
          }
          batch.put(records, key, RecordCodec.encode(record, placer));
          batch.put(expiry, RecordCodec.expiryKey(record.expiresAt(), at), EMPTY);
          db.write(writeOptions, batch);
        }
        placers.remove(heldPlacer, heldCost);
        placers.add(placer, record.storedBytes());
        recordCount = count;
        storedBytes = bytes;
        return PutOutcome.STORED;
      }
    } catch (RocksDBException e) {
      throw failure("put", e);
    } finally {
      shared.unlock();
    }
  }

  @Override
  public Optional<ValueRecord> get(NodeId key, RecordKind kind, Instant now) {
    Lock shared = openShared();
    try {
      byte[] bytes = db.get(records, RecordCodec.storeKey(new StoredKey(key, kind)));
      if (bytes == null) {
        return Optional.empty();
      }
      ValueRecord r = RecordCodec.decode(key, bytes);
      return r.isExpiredAt(now) ? Optional.empty() : Optional.of(r);
    } catch (RocksDBException e) {
      throw failure("get", e);
    } finally {
      shared.unlock();
    }
  }

  /** A set's records share the prefix of key and kind: one seek, then a walk while it lasts. */
  @Override
  public List<ValueRecord> getAll(NodeId key, RecordKind kind, Instant now) {
    if (kind != RecordKind.ENDPOINT) {
      return RecordStore.super.getAll(key, kind, now);
    }
    Lock shared = openShared();
    byte[] prefix = RecordCodec.kindPrefix(key, kind);
    List<ValueRecord> out = new ArrayList<>();
    try (RocksIterator it = db.newIterator(records)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        ValueRecord r = RecordCodec.decode(key, it.value());
        if (!r.isExpiredAt(now)) out.add(r);
      }
      return out;
    } finally {
      shared.unlock();
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  @Override
  public int purgeExpired(Instant now) {
    Lock shared = openShared();
    // Every index key below (now + 1 ns, key 0…0) names a record that expired by now.
    byte[] end = RecordCodec.expiryKey(now.plusNanos(1),
        new StoredKey(NodeId.fromBytes(new byte[NodeId.BYTES]), RecordKind.PLAIN));
    int purged = 0;
    long examined = 0;
    byte[] resume = null;
    try (Slice upper = new Slice(end); ReadOptions read = new ReadOptions().setIterateUpperBound(upper)) {
      boolean more = true;
      while (more) {
        synchronized (writeLock) {
          try (RocksIterator it = db.newIterator(expiry, read); WriteBatch batch = new WriteBatch()) {
            if (resume == null) it.seekToFirst(); else it.seek(resume);
            byte[] first = null;
            byte[] last = null;
            int n = 0;
            for (; it.isValid() && n < PURGE_BATCH; it.next(), n++) {
              byte[] entry = it.key();
              if (first == null) first = entry;
              last = entry;
              StoredKey at = RecordCodec.keyOf(entry);
              NodeId key = at.key();
              byte[] storeKey = RecordCodec.storeKey(at);
              byte[] held = db.get(records, storeKey);
              // The index and the records change in one batch, so the entry names the held
              // record; the check only guards against a store written by a buggy build.
              if (held != null
                  && RecordCodec.decode(key, held).expiresAt().equals(RecordCodec.expiryOf(entry))) {
                batch.delete(records, storeKey);
                long cost = RecordCodec.storedBytes(held);
                recordCount--;
                storedBytes -= cost;
                placers.remove(RecordCodec.placerOf(key, held), cost);
                purged++;
              }
            }
            examined += n;
            more = it.isValid();
            if (first != null) {
              resume = successor(last);
              batch.deleteRange(expiry, first, resume);
              db.write(writeOptions, batch);
            }
          }
        }
      }
      synchronized (writeLock) {
        examinedByLastPurge = examined;
      }
      return purged;
    } catch (RocksDBException e) {
      throw failure("purge", e);
    } finally {
      shared.unlock();
    }
  }

  /** The smallest key after {@code key}. */
  private static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  @Override
  public List<ValueRecord> scan(StoredKey after, int limit, Instant now) {
    Lock shared = openShared();
    List<ValueRecord> page = new ArrayList<>(Math.min(limit, SCAN_BATCH));
    // An iterator reads a snapshot and takes no lock of ours.
    try (RocksIterator it = db.newIterator(records)) {
      if (after == null) it.seekToFirst(); else it.seek(successor(RecordCodec.storeKey(after)));
      for (; it.isValid() && page.size() < limit; it.next()) {
        ValueRecord r = RecordCodec.decode(RecordCodec.storedKeyOf(it.key()).key(), it.value());
        if (!r.isExpiredAt(now)) page.add(r);
      }
      return page;
    } finally {
      shared.unlock();
    }
  }

  @Override
  public Usage placedBy(NodeId placer) {
    synchronized (writeLock) {
      return placers.usage(placer);
    }
  }

  @Override
  public int placerCount() {
    synchronized (writeLock) {
      return placers.size();
    }
  }

  @Override
  public long recordCount() {
    return recordCount;
  }

  @Override
  public long storedBytes() {
    return storedBytes;
  }

  @Override
  public String engine() {
    return "rocksdb";
  }

  public Path directory() {
    return directory;
  }

  /** Index entries the last purge looked at: the expired ones (the upper bound stops it there). */
  long examinedByLastPurge() {
    synchronized (writeLock) {
      return examinedByLastPurge;
    }
  }

  /** Syncs the WAL, flushes the memtables (so the next open replays nothing) and closes. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
        db.flushWal(true);
        db.flush(flush, List.of(records, expiry));
      } catch (RocksDBException e) {
        throw failure("close", e);
      } finally {
        records.close();
        expiry.close();
        try {
          db.closeE();
        } catch (RocksDBException e) {
          // The WAL was synced above; nothing acknowledged is lost.
          throw failure("close", e);
        } finally {
          writeOptions.close();
          familyOptions.close();
          dbOptions.close();
        }
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private Lock openShared() {
    Lock shared = lifecycle.readLock();
    shared.lock();
    if (closed) {
      shared.unlock();
      throw new IllegalStateException("the record store in " + directory + " is closed");
    }
    return shared;
  }

  private UncheckedIOException failure(String what, RocksDBException e) {
    return new UncheckedIOException(new IOException(
        "record store " + directory + ": " + what + " failed: " + e.getMessage(), e));
  }

  @Override
  public String toString() {
    return "RocksDbRecordStore{" + directory + "}";
  }
}
