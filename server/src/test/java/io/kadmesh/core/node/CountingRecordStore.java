package io.kadmesh.core.node;

import io.kadmesh.core.storage.StoredKey;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.storage.RecordStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A record store that counts how it is walked: pages, their largest size, whole-store visits,
 * and scans or purges that ran as scheduled tasks instead of blocking work.
 */
final class CountingRecordStore implements RecordStore {
  private final RecordStore delegate;
  private final VirtualScheduler scheduler;
  int scans;
  int largestPage;
  long scannedRecords;
  int forEachCalls;
  int purges;
  int offThePool;

  CountingRecordStore(RecordStore delegate, VirtualScheduler scheduler) {
    this.delegate = delegate;
    this.scheduler = scheduler;
  }

  @Override
  public synchronized List<ValueRecord> scan(StoredKey after, int limit, Instant now) {
    List<ValueRecord> page = delegate.scan(after, limit, now);
    scans++;
    largestPage = Math.max(largestPage, page.size());
    scannedRecords += page.size();
    if (!scheduler.inBlockingWork()) offThePool++;
    return page;
  }

  @Override
  public synchronized void forEach(Instant now, Consumer<ValueRecord> action) {
    forEachCalls++;
    delegate.forEach(now, action);
  }

  @Override
  public synchronized int purgeExpired(Instant now) {
    purges++;
    if (!scheduler.inBlockingWork()) offThePool++;
    return delegate.purgeExpired(now);
  }

  @Override
  public PutOutcome put(ValueRecord record, NodeId placer, PeerQuota quota) {
    return delegate.put(record, placer, quota);
  }

  @Override
  public Usage placedBy(NodeId placer) {
    return delegate.placedBy(placer);
  }

  @Override
  public int placerCount() {
    return delegate.placerCount();
  }

  @Override
  public Optional<ValueRecord> get(NodeId key, RecordKind kind, Instant now) {
    return delegate.get(key, kind, now);
  }

  @Override
  public long recordCount() {
    return delegate.recordCount();
  }

  @Override
  public long storedBytes() {
    return delegate.storedBytes();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
