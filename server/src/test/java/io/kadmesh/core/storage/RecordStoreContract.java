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
import org.junit.jupiter.api.Test;

class InMemoryRecordStoreTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final Random random = new Random(3);
  private final NodeId writer = NodeId.random(random);
  private final NodeId key = NodeId.random(random);

  private ValueRecord value(NodeId k, long seq, String v, Instant expiresAt) {
    return ValueRecord.value(k, v.getBytes(), new Version(seq, writer), expiresAt);
  }

  @Test
  void put_newerVersionReplaces_olderIsStale_equalIsAlreadyHeld() {
    InMemoryRecordStore store = new InMemoryRecordStore(100, 1 << 20);
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
  void get_afterExpiry_isEmpty_evenBeforePurge() {
    InMemoryRecordStore store = new InMemoryRecordStore(100, 1 << 20);
    store.put(value(key, 1, "v", T0.plusSeconds(10)));
    assertThat(store.get(key, T0.plusSeconds(9))).isPresent();
    assertThat(store.get(key, T0.plusSeconds(10))).isEmpty();
  }

  @Test
  void purgeExpired_dropsOnlyExpired_andVisitsOnlyThemThroughTheIndex() {
    InMemoryRecordStore store = new InMemoryRecordStore(10_000, 1 << 24);
    for (int i = 0; i < 1000; i++) {
      store.put(value(NodeId.random(random), 1, "x", T0.plusSeconds(100 + i)));
    }
    NodeId early1 = NodeId.random(random);
    NodeId early2 = NodeId.random(random);
    store.put(value(early1, 1, "x", T0.plusSeconds(5)));
    store.put(value(early2, 1, "x", T0.plusSeconds(6)));
    long bytesBefore = store.storedBytes();

    assertThat(store.purgeExpired(T0.plusSeconds(50))).isEqualTo(2);
    assertThat(store.examinedByLastPurge()).isEqualTo(3);
    assertThat(store.recordCount()).isEqualTo(1000);
    assertThat(store.storedBytes()).isLessThan(bytesBefore);
    assertThat(store.get(early1, T0)).isEmpty();
  }

  @Test
  void replacedRecord_isPurgedByItsNewExpiry_notTheOldOne() {
    InMemoryRecordStore store = new InMemoryRecordStore(100, 1 << 20);
    store.put(value(key, 1, "old", T0.plusSeconds(10)));
    store.put(value(key, 2, "new", T0.plusSeconds(100)));
    assertThat(store.purgeExpired(T0.plusSeconds(50))).isZero();
    assertThat(store.get(key, T0.plusSeconds(50))).isPresent();
    assertThat(store.purgeExpired(T0.plusSeconds(100))).isEqualTo(1);
    assertThat(store.recordCount()).isZero();
    assertThat(store.storedBytes()).isZero();
  }

  @Test
  void put_overRecordLimit_isFull_butReplacingAHeldKeyStillFits() {
    InMemoryRecordStore store = new InMemoryRecordStore(2, 1 << 20);
    Instant exp = T0.plusSeconds(60);
    store.put(value(key, 1, "a", exp));
    store.put(value(NodeId.random(random), 1, "b", exp));
    assertThat(store.put(value(NodeId.random(random), 1, "c", exp))).isEqualTo(PutOutcome.FULL);
    assertThat(store.put(value(key, 2, "a2", exp))).isEqualTo(PutOutcome.STORED);
  }

  @Test
  void put_overByteLimit_isFull() {
    ValueRecord big = value(key, 1, "0123456789", T0.plusSeconds(60));
    InMemoryRecordStore store = new InMemoryRecordStore(100, big.storedBytes() - 1);
    assertThat(store.put(big)).isEqualTo(PutOutcome.FULL);
    assertThat(store.recordCount()).isZero();
  }

  @Test
  void forEach_visitsLiveRecordsOnly() {
    InMemoryRecordStore store = new InMemoryRecordStore(100, 1 << 20);
    store.put(value(key, 1, "live", T0.plusSeconds(60)));
    store.put(value(NodeId.random(random), 1, "dead", T0.plusSeconds(1)));
    List<ValueRecord> seen = new ArrayList<>();
    store.forEach(T0.plusSeconds(30), seen::add);
    assertThat(seen).extracting(ValueRecord::key).containsExactly(key);
  }
}
