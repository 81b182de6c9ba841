package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.storage.RecordStore.PutOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link RecordStore} owes its node, run against each implementation by a
 * subclass that says how to make one.
 */
abstract class RecordStoreContract<S extends RecordStore> {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  final Random random = new Random(3);
  final NodeId writer = NodeId.random(random);
  final NodeId key = NodeId.random(random);
  private final List<S> opened = new ArrayList<>();

  /** A new, empty store with these limits. */
  abstract S create(long maxRecords, long maxStoredBytes) throws Exception;

  /** Index entries the store's last purge looked at. */
  abstract long examinedByLastPurge(S store);

  S newStore(long maxRecords, long maxStoredBytes) throws Exception {
    S store = create(maxRecords, maxStoredBytes);
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(RecordStore::close);
  }

  ValueRecord value(NodeId k, long seq, String v, Instant expiresAt) {
    return ValueRecord.value(k, v.getBytes(), new Version(seq, writer), expiresAt);
  }

  @Test
  void put_newerVersionReplaces_olderIsStale_equalIsAlreadyHeld() throws Exception {
    S store = newStore(100, 1 << 20);
    Instant exp = T0.plusSeconds(60);
    assertThat(store.put(value(key, 5, "five", exp))).isEqualTo(PutOutcome.STORED);
    assertThat(store.put(value(key, 4, "four", exp))).isEqualTo(PutOutcome.STALE);
    assertThat(store.put(value(key, 5, "five", exp))).isEqualTo(PutOutcome.ALREADY_HELD);
    assertThat(store.get(key, T0).orElseThrow().value()).isEqualTo("five".getBytes());
    assertThat(store.put(ValueRecord.tombstone(key, new Version(6, writer), exp))).isEqualTo(PutOutcome.STORED);
    assertThat(store.get(key, T0).orElseThrow().isTombstone()).isTrue();
    assertThat(store.recordCount()).isEqualTo(1);
  }

  @Test
  void get_afterExpiry_isEmpty_evenBeforePurge() throws Exception {
    S store = newStore(100, 1 << 20);
    store.put(value(key, 1, "v", T0.plusSeconds(10)));
    assertThat(store.get(key, T0.plusSeconds(9))).isPresent();
    assertThat(store.get(key, T0.plusSeconds(10))).isEmpty();
  }

  @Test
  void purgeExpired_dropsOnlyExpired_andVisitsOnlyThemThroughTheIndex() throws Exception {
    S store = newStore(10_000, 1 << 24);
    for (int i = 0; i < 1000; i++) {
      store.put(value(NodeId.random(random), 1, "x", T0.plusSeconds(100 + i)));
    }
    NodeId early1 = NodeId.random(random);
    NodeId early2 = NodeId.random(random);
    store.put(value(early1, 1, "x", T0.plusSeconds(5)));
    store.put(value(early2, 1, "x", T0.plusSeconds(6)));
    long bytesBefore = store.storedBytes();

    assertThat(store.purgeExpired(T0.plusSeconds(50))).isEqualTo(2);
    // The two expired ones, and at most the first live one after them.
    assertThat(examinedByLastPurge(store)).isBetween(2L, 3L);
    assertThat(store.recordCount()).isEqualTo(1000);
    assertThat(store.storedBytes()).isLessThan(bytesBefore);
    assertThat(store.get(early1, T0)).isEmpty();
  }

  @Test
  void replacedRecord_isPurgedByItsNewExpiry_notTheOldOne() throws Exception {
    S store = newStore(100, 1 << 20);
    store.put(value(key, 1, "old", T0.plusSeconds(10)));
    store.put(value(key, 2, "new", T0.plusSeconds(100)));
    assertThat(store.purgeExpired(T0.plusSeconds(50))).isZero();
    assertThat(store.get(key, T0.plusSeconds(50))).isPresent();
    assertThat(store.purgeExpired(T0.plusSeconds(100))).isEqualTo(1);
    assertThat(store.recordCount()).isZero();
    assertThat(store.storedBytes()).isZero();
  }

  @Test
  void put_overRecordLimit_isFull_butReplacingAHeldKeyStillFits() throws Exception {
    S store = newStore(2, 1 << 20);
    Instant exp = T0.plusSeconds(60);
    store.put(value(key, 1, "a", exp));
    store.put(value(NodeId.random(random), 1, "b", exp));
    assertThat(store.put(value(NodeId.random(random), 1, "c", exp))).isEqualTo(PutOutcome.FULL);
    assertThat(store.put(value(key, 2, "a2", exp))).isEqualTo(PutOutcome.STORED);
  }

  @Test
  void put_overByteLimit_isFull() throws Exception {
    ValueRecord big = value(key, 1, "0123456789", T0.plusSeconds(60));
    S store = newStore(100, big.storedBytes() - 1);
    assertThat(store.put(big)).isEqualTo(PutOutcome.FULL);
    assertThat(store.recordCount()).isZero();
  }

  @Test
  void forEach_visitsLiveRecordsOnly() throws Exception {
    S store = newStore(100, 1 << 20);
    store.put(value(key, 1, "live", T0.plusSeconds(60)));
    store.put(value(NodeId.random(random), 1, "dead", T0.plusSeconds(1)));
    List<ValueRecord> seen = new ArrayList<>();
    store.forEach(T0.plusSeconds(30), seen::add);
    assertThat(seen).extracting(ValueRecord::key).containsExactly(key);
  }

  @Test
  void purgeExpired_ofMoreRecordsThanOneBatch_dropsThemAll_andKeepsTheCounts() throws Exception {
    S store = newStore(10_000, 1 << 24);
    for (int i = 0; i < 2500; i++) {
      store.put(value(NodeId.random(random), 1, "x" + i, T0.plusMillis(i)));
    }
    store.put(value(key, 1, "survivor", T0.plusSeconds(3600)));
    ValueRecord survivor = store.get(key, T0).orElseThrow();

    assertThat(store.purgeExpired(T0.plusSeconds(60))).isEqualTo(2500);
    assertThat(store.recordCount()).isEqualTo(1);
    assertThat(store.storedBytes()).isEqualTo(survivor.storedBytes());
    assertThat(store.purgeExpired(T0.plusSeconds(60))).isZero();
  }

  @Test
  void get_returnsExactlyWhatWasPut_binaryValuesEmptyValuesAndTombstones() throws Exception {
    S store = newStore(100, 1 << 20);
    byte[] binary = new byte[300];
    random.nextBytes(binary);
    ValueRecord withBinary = ValueRecord.value(key, binary, new Version(7, writer), T0.plusNanos(123_456_789));
    NodeId emptyKey = NodeId.random(random);
    ValueRecord empty = ValueRecord.value(emptyKey, new byte[0], new Version(1, writer), T0.plusSeconds(5));
    NodeId deadKey = NodeId.random(random);
    ValueRecord tomb = ValueRecord.tombstone(deadKey, new Version(2, writer), T0.plusSeconds(5));
    store.put(withBinary);
    store.put(empty);
    store.put(tomb);

    assertThat(store.get(key, T0)).contains(withBinary);
    assertThat(store.get(emptyKey, T0)).contains(empty);
    assertThat(store.get(deadKey, T0)).contains(tomb);
    assertThat(store.storedBytes())
        .isEqualTo(withBinary.storedBytes() + empty.storedBytes() + tomb.storedBytes());
  }

  @Test
  void concurrentPutsOfOneKey_keepTheNewestVersion_andOneRecord() throws Exception {
    S store = newStore(100, 1 << 20);
    int threads = 4;
    int perThread = 200;
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int offset = t;
      writers.add(new Thread(() -> {
        for (int i = 0; i < perThread; i++) {
          long seq = (long) i * threads + offset;
          store.put(value(key, seq, "v" + seq, T0.plusSeconds(60)));
        }
      }));
    }
    writers.forEach(Thread::start);
    for (Thread w : writers) {
      w.join();
    }
    long newest = (long) perThread * threads - 1;
    assertThat(store.get(key, T0).orElseThrow().version().sequence()).isEqualTo(newest);
    assertThat(store.recordCount()).isEqualTo(1);
    assertThat(store.storedBytes()).isEqualTo(store.get(key, T0).orElseThrow().storedBytes());
  }
}
