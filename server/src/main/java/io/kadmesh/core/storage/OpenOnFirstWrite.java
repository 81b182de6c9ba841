package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A store that does not exist yet (a node's first start), opened by its first write: until then
 * it holds nothing, so every read answers as the empty store would, without opening it.
 *
 * <p>Why: opening RocksDB loads its native library (about 10 MiB of a sidecar's memory, two
 * threads, part of its start time); a node that nobody writes to never pays for it. Its first
 * write waits for the open, once.
 */
public final class OpenOnFirstWrite implements RecordStore {
  /** Opens (creates) the real store. */
  @FunctionalInterface
  public interface Opener {
    RecordStore open() throws IOException;
  }

  private final Opener opener;
  private final String engine;
  private volatile RecordStore store;
  private boolean closed;

  /** {@code engine}: what the store that {@code opener} makes reports, reported meanwhile too. */
  public OpenOnFirstWrite(Opener opener, String engine) {
    this.opener = Objects.requireNonNull(opener, "opener");
    this.engine = Objects.requireNonNull(engine, "engine");
  }

  /** Whether the real store has been opened. */
  public boolean isOpen() {
    return store != null;
  }

  private RecordStore opened() {
    RecordStore s = store;
    if (s != null) return s;
    synchronized (this) {
      if (store == null) {
        if (closed) throw new IllegalStateException("the record store is closed");
        try {
          store = opener.open();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return store;
    }
  }

  @Override
  public PutOutcome put(ValueRecord record, NodeId placer, PeerQuota quota) {
    return opened().put(record, placer, quota);
  }

  @Override
  public Usage placedBy(NodeId placer) {
    RecordStore s = store;
    return s == null ? Usage.NONE : s.placedBy(placer);
  }

  @Override
  public int placerCount() {
    RecordStore s = store;
    return s == null ? 0 : s.placerCount();
  }

  @Override
  public Optional<ValueRecord> get(NodeId key, RecordKind kind, Instant now) {
    RecordStore s = store;
    return s == null ? Optional.empty() : s.get(key, kind, now);
  }

  @Override
  public List<ValueRecord> getAll(NodeId key, RecordKind kind, Instant now) {
    RecordStore s = store;
    return s == null ? List.of() : s.getAll(key, kind, now);
  }

  @Override
  public int purgeExpired(Instant now) {
    RecordStore s = store;
    return s == null ? 0 : s.purgeExpired(now);
  }

  @Override
  public List<ValueRecord> scan(StoredKey after, int limit, Instant now) {
    RecordStore s = store;
    return s == null ? List.of() : s.scan(after, limit, now);
  }

  @Override
  public void forEach(Instant now, Consumer<ValueRecord> action) {
    RecordStore s = store;
    if (s != null) s.forEach(now, action);
  }

  @Override
  public long recordCount() {
    RecordStore s = store;
    return s == null ? 0 : s.recordCount();
  }

  @Override
  public long storedBytes() {
    RecordStore s = store;
    return s == null ? 0 : s.storedBytes();
  }

  @Override
  public String engine() {
    return engine;
  }

  /** Closes the real store if it was opened; a write after this fails. Idempotent. */
  @Override
  public void close() {
    RecordStore s;
    synchronized (this) {
      closed = true;
      s = store;
    }
    if (s != null) s.close();
  }

  @Override
  public String toString() {
    RecordStore s = store;
    return s == null ? engine + " store, not opened yet" : s.toString();
  }
}
