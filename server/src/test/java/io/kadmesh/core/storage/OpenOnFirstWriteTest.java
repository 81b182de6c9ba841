package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.RecordKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RocksDB store opened by its first write: the store contract, and what it does before that write. */
class OpenOnFirstWriteTest extends RecordStoreContract<OpenOnFirstWrite> {
  @TempDir Path dir;
  private int stores;
  /** Each store's RocksDB store, once opened. */
  private final Map<OpenOnFirstWrite, RocksDbRecordStore[]> inner = new HashMap<>();

  @Override
  OpenOnFirstWrite create(long maxRecords, long maxStoredBytes) {
    return lazy(dir.resolve("store-" + stores++), maxRecords, maxStoredBytes);
  }

  private OpenOnFirstWrite lazy(Path path, long maxRecords, long maxStoredBytes) {
    RocksDbRecordStore[] opened = new RocksDbRecordStore[1];
    OpenOnFirstWrite store = new OpenOnFirstWrite(
        () -> opened[0] = RocksDbRecordStore.open(path, maxRecords, maxStoredBytes), "rocksdb");
    inner.put(store, opened);
    return store;
  }

  @Override
  long examinedByLastPurge(OpenOnFirstWrite store) {
    RocksDbRecordStore opened = inner.get(store)[0];
    return opened == null ? 0 : opened.examinedByLastPurge();
  }

  @Test
  void readsBeforeAnyWrite_answerAsAnEmptyStore_withoutCreatingIt() throws Exception {
    Path path = dir.resolve("untouched");
    try (OpenOnFirstWrite store = lazy(path, 100, 1 << 20)) {
      assertThat(store.get(key, T0)).isEmpty();
      assertThat(store.getAll(key, RecordKind.ENDPOINT, T0)).isEmpty();
      assertThat(store.scan(null, 10, T0)).isEmpty();
      assertThat(store.purgeExpired(T0)).isZero();
      assertThat(store.recordCount()).isZero();
      assertThat(store.storedBytes()).isZero();
      assertThat(store.placerCount()).isZero();
      assertThat(store.placedBy(writer)).isEqualTo(RecordStore.Usage.NONE);
      assertThat(store.engine()).isEqualTo("rocksdb");
      assertThat(store.isOpen()).isFalse();
    }
    assertThat(Files.exists(path)).isFalse();
  }

  @Test
  void firstWrite_opensTheStore_whichKeepsTheRecordAcrossAReopen() throws Exception {
    Path path = dir.resolve("written");
    try (OpenOnFirstWrite store = lazy(path, 100, 1 << 20)) {
      assertThat(store.put(value(key, 1, "v", T0.plusSeconds(60))))
          .isEqualTo(RecordStore.PutOutcome.STORED);
      assertThat(store.isOpen()).isTrue();
      assertThat(store.get(key, T0)).isPresent();
      assertThat(store.recordCount()).isEqualTo(1);
    }
    try (RocksDbRecordStore reopened = RocksDbRecordStore.open(path, 100, 1 << 20)) {
      assertThat(reopened.get(key, T0)).isPresent();
    }
  }

  @Test
  void writeAfterClose_fails_andOpensNothing() {
    Path path = dir.resolve("closed");
    OpenOnFirstWrite store = lazy(path, 100, 1 << 20);
    store.close();
    assertThatThrownBy(() -> store.put(value(key, 1, "v", T0.plusSeconds(60))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(Files.exists(path)).isFalse();
  }
}
