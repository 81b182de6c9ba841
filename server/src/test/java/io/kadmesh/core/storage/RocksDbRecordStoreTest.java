package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.records.Ed25519Keys;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record store contract on RocksDB, and what only a persistent store owes: reopening. */
class RocksDbRecordStoreTest extends RecordStoreContract<RocksDbRecordStore> {
  @TempDir Path dir;
  private int stores;

  @Override
  RocksDbRecordStore create(long maxRecords, long maxStoredBytes) throws Exception {
    return RocksDbRecordStore.open(dir.resolve("store-" + stores++), maxRecords, maxStoredBytes);
  }

  @Override
  long examinedByLastPurge(RocksDbRecordStore store) {
    return store.examinedByLastPurge();
  }

  @Test
  void reopen_keepsRecordsCountsAndBytes() throws Exception {
    Path path = dir.resolve("reopened");
    List<ValueRecord> written = new ArrayList<>();
    long bytes;
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      for (int i = 0; i < 50; i++) {
        ValueRecord r = value(NodeId.random(random), i, "value-" + i, T0.plusSeconds(60 + i));
        store.put(r);
        written.add(r);
      }
      store.put(ValueRecord.tombstone(key, new Version(9, writer), T0.plusSeconds(60)));
      bytes = store.storedBytes();
    }

    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      assertThat(store.recordCount()).isEqualTo(51);
      assertThat(store.storedBytes()).isEqualTo(bytes);
      for (ValueRecord r : written) {
        assertThat(store.get(r.key(), T0)).contains(r);
      }
      assertThat(store.get(key, T0).orElseThrow().isTombstone()).isTrue();
      // Versions survive too: an older write is still stale after the restart.
      assertThat(store.put(value(written.get(0).key(), 0, "older", T0.plusSeconds(600))))
          .isEqualTo(RecordStore.PutOutcome.ALREADY_HELD);
    }
  }

  @Test
  void reopen_keepsTheExpiryIndex_soAPurgeAfterRestartDropsOnlyTheExpired() throws Exception {
    Path path = dir.resolve("purged-after-restart");
    NodeId early = NodeId.random(random);
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      for (int i = 0; i < 100; i++) {
        store.put(value(NodeId.random(random), 1, "late", T0.plusSeconds(1000 + i)));
      }
      store.put(value(early, 1, "early", T0.plusSeconds(5)));
      store.put(value(key, 1, "replaced", T0.plusSeconds(6)));
      store.put(value(key, 2, "replacement", T0.plusSeconds(2000)));
    }

    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      assertThat(store.purgeExpired(T0.plusSeconds(500))).isEqualTo(1);
      assertThat(store.examinedByLastPurge()).isEqualTo(1);
      assertThat(store.recordCount()).isEqualTo(101);
      assertThat(store.get(early, T0)).isEmpty();
      assertThat(store.get(key, T0.plusSeconds(500)).orElseThrow().value()).isEqualTo("replacement".getBytes());
      assertThat(store.purgeExpired(T0.plusSeconds(1050))).isEqualTo(51); // 1000 s to 1050 s
    }
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      assertThat(store.recordCount()).isEqualTo(50);
      assertThat(store.purgeExpired(T0.plusSeconds(5000))).isEqualTo(50);
      assertThat(store.recordCount()).isZero();
      assertThat(store.storedBytes()).isZero();
    }
  }

  @Test
  void limits_countRecordsThatWereThereBeforeTheRestart() throws Exception {
    Path path = dir.resolve("limits");
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 2, 1 << 20)) {
      store.put(value(NodeId.random(random), 1, "a", T0.plusSeconds(60)));
      store.put(value(NodeId.random(random), 1, "b", T0.plusSeconds(60)));
    }
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 2, 1 << 20)) {
      assertThat(store.put(value(key, 1, "c", T0.plusSeconds(60)))).isEqualTo(RecordStore.PutOutcome.FULL);
    }
  }

  @Test
  void afterClose_callsFailClearly_andCloseIsIdempotent() throws Exception {
    RocksDbRecordStore store = RocksDbRecordStore.open(dir.resolve("closed"), 10, 1 << 20);
    store.close();
    store.close();
    assertThatThrownBy(() -> store.get(key, T0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void withSyncWrites_storesAndReopens() throws Exception {
    Path path = dir.resolve("synced");
    ValueRecord r = value(key, 1, "synced", T0.plusSeconds(60));
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 10, 1 << 20, true)) {
      store.put(r);
    }
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 10, 1 << 20, true)) {
      assertThat(store.get(key, T0)).contains(r);
    }
  }

  @Test
  void reopen_recountsWhatEachPlacerPlaced_fromThePlacersKeptWithTheRecords() throws Exception {
    Path path = dir.resolve("placers");
    RecordStore.PeerQuota three = new RecordStore.PeerQuota(3, 1 << 20);
    RecordStore.Usage aliceBefore;
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      for (int i = 0; i < 3; i++) {
        store.put(value(NodeId.random(random), 1, "a" + i, T0.plusSeconds(60)), alice, three);
      }
      store.put(value(key, 1, "b", T0.plusSeconds(5)), bob, three);
      store.put(value(NodeId.random(random), 1, "own", T0.plusSeconds(60)));
      aliceBefore = store.placedBy(alice);
    }
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      assertThat(store.placedBy(alice)).isEqualTo(aliceBefore);
      assertThat(store.placedBy(bob).records()).isEqualTo(1);
      assertThat(store.placerCount()).isEqualTo(2);
      assertThat(store.put(value(NodeId.random(random), 1, "a3", T0.plusSeconds(60)), alice, three))
          .isEqualTo(RecordStore.PutOutcome.SENDER_FULL);
      assertThat(store.purgeExpired(T0.plusSeconds(10))).isEqualTo(1);
      assertThat(store.placedBy(bob)).isEqualTo(RecordStore.Usage.NONE);
    }
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 1000, 1 << 20)) {
      assertThat(store.placerCount()).isEqualTo(1);
    }
  }

  @Test
  void recordsOfFormat1_leftByTheFormerBuild_openReadAndCountAsThisNodesOwn() throws Exception {
    Path path = dir.resolve("format1");
    ValueRecord old = value(key, 1, "from the former build", T0.plusSeconds(60));
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 100, 1 << 20)) {
      store.put(old, alice, RecordStore.PeerQuota.UNLIMITED);
    }
    rewriteAsFormat1(path, old);

    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 100, 1 << 20)) {
      assertThat(store.get(key, T0)).contains(old);
      assertThat(store.storedBytes()).isEqualTo(old.storedBytes());
      assertThat(store.placerCount()).isZero();
      ValueRecord newer = value(key, 2, "newer", T0.plusSeconds(60));
      assertThat(store.put(newer, bob, RecordStore.PeerQuota.UNLIMITED))
          .isEqualTo(RecordStore.PutOutcome.STORED);
      assertThat(store.placedBy(bob)).isEqualTo(new RecordStore.Usage(1, newer.storedBytes()));
      assertThat(store.purgeExpired(T0.plusSeconds(60))).isEqualTo(1);
      assertThat(store.placerCount()).isZero();
    }
  }

  @Test
  void recordsOfFormat2_leftByTheBuildBeforeKinds_openAsPlainRecords_besideNewKinds() throws Exception {
    Path path = dir.resolve("format2");
    List<ValueRecord> three = threeKinds(key, T0.plusSeconds(60));
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 100, 1 << 20)) {
      three.forEach(r -> store.put(r, alice, RecordStore.PeerQuota.UNLIMITED));
    }
    rewrite(path, three.get(0), RecordCodecTest.format2(three.get(0), alice));

    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 100, 1 << 20)) {
      for (ValueRecord r : three) {
        assertThat(store.get(key, r.kind(), T0)).contains(r);
      }
      assertThat(store.recordCount()).isEqualTo(3);
      assertThat(store.storedBytes())
          .isEqualTo(three.stream().mapToLong(ValueRecord::storedBytes).sum());
      assertThat(store.placedBy(alice).records()).isEqualTo(3);
      assertThat(store.purgeExpired(T0.plusSeconds(60))).isEqualTo(3);
      assertThat(store.recordCount()).isZero();
      assertThat(store.placerCount()).isZero();
    }
  }

  @Test
  void endpointEntries_besideTheOlderKinds_keepTheirStoreKeyLayouts_andSurviveReopen()
      throws Exception {
    Path path = dir.resolve("endpoints");
    List<ValueRecord> three = threeKinds(key, T0.plusSeconds(60));
    KeyPair announcer = Ed25519Keys.generate();
    ValueRecord a = entry(announcer, "web", "a:1", 1, T0.plusSeconds(60), false);
    ValueRecord b = entry(announcer, "web", "b:1", 3, T0.plusSeconds(60), true);
    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 100, 1 << 20)) {
      three.forEach(store::put);
      store.put(a);
      store.put(b);
    }
    // The keys as the builds before endpoints wrote them: plain 32 bytes, other kinds 33.
    List<Integer> keyLengths = new ArrayList<>();
    List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
    try (org.rocksdb.DBOptions options = new org.rocksdb.DBOptions();
        org.rocksdb.ColumnFamilyOptions family = new org.rocksdb.ColumnFamilyOptions();
        org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(options, path.toString(), List.of(
            new org.rocksdb.ColumnFamilyDescriptor(org.rocksdb.RocksDB.DEFAULT_COLUMN_FAMILY, family),
            new org.rocksdb.ColumnFamilyDescriptor("expiry".getBytes(), family)), handles);
        org.rocksdb.RocksIterator it = db.newIterator(handles.get(0))) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (Arrays.equals(it.key(), 0, NodeId.BYTES, key.toBytes(), 0, NodeId.BYTES)) {
          keyLengths.add(it.key().length);
        }
      }
      handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
    }
    assertThat(keyLengths).containsExactly(NodeId.BYTES, NodeId.BYTES + 1, NodeId.BYTES + 1);

    try (RocksDbRecordStore store = RocksDbRecordStore.open(path, 100, 1 << 20)) {
      for (ValueRecord r : three) {
        assertThat(store.get(key, r.kind(), T0)).contains(r);
      }
      assertThat(store.getAll(a.key(), RecordKind.ENDPOINT, T0)).containsExactly(a, b);
      assertThat(store.recordCount()).isEqualTo(5);
      assertThat(store.storedBytes()).isEqualTo(three.stream()
          .mapToLong(ValueRecord::storedBytes).sum() + a.storedBytes() + b.storedBytes());
      assertThat(store.purgeExpired(T0.plusSeconds(60))).isEqualTo(5);
      assertThat(store.getAll(a.key(), RecordKind.ENDPOINT, T0)).isEmpty();
    }
  }

  /** Overwrites the record's bytes in place with format 1, as the build before placers wrote it. */
  private static void rewriteAsFormat1(Path path, ValueRecord r) throws Exception {
    rewrite(path, r, RecordCodecTest.format1(r));
  }

  /** Overwrites the plain record's bytes in place. */
  private static void rewrite(Path path, ValueRecord r, byte[] bytes) throws Exception {
    List<org.rocksdb.ColumnFamilyHandle> handles = new ArrayList<>();
    try (org.rocksdb.DBOptions options = new org.rocksdb.DBOptions();
        org.rocksdb.ColumnFamilyOptions family = new org.rocksdb.ColumnFamilyOptions();
        org.rocksdb.RocksDB db = org.rocksdb.RocksDB.open(options, path.toString(), List.of(
            new org.rocksdb.ColumnFamilyDescriptor(org.rocksdb.RocksDB.DEFAULT_COLUMN_FAMILY, family),
            new org.rocksdb.ColumnFamilyDescriptor("expiry".getBytes(), family)), handles)) {
      db.put(handles.get(0), r.key().toBytes(), bytes);
      handles.forEach(org.rocksdb.ColumnFamilyHandle::close);
    }
  }
}
