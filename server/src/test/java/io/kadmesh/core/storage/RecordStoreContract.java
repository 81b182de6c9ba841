package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.SignedRecords;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.storage.RecordStore.PeerQuota;
import io.kadmesh.core.storage.RecordStore.PutOutcome;
import io.kadmesh.core.storage.RecordStore.Usage;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
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

  static StoredKey plain(NodeId k) {
    return new StoredKey(k, RecordKind.PLAIN);
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

  // ---- per-placer quota ------------------------------------------------------------------------

  final NodeId alice = NodeId.random(random);
  final NodeId bob = NodeId.random(random);

  @Test
  void placer_overItsRecordQuota_isSenderFull_whileOthersAndThisNodeStillFit() throws Exception {
    S store = newStore(100, 1 << 20);
    PeerQuota two = new PeerQuota(2, 1 << 20);
    Instant exp = T0.plusSeconds(60);
    assertThat(store.put(value(NodeId.random(random), 1, "a", exp), alice, two)).isEqualTo(PutOutcome.STORED);
    assertThat(store.put(value(NodeId.random(random), 1, "b", exp), alice, two)).isEqualTo(PutOutcome.STORED);
    assertThat(store.put(value(NodeId.random(random), 1, "c", exp), alice, two)).isEqualTo(PutOutcome.SENDER_FULL);

    assertThat(store.put(value(NodeId.random(random), 1, "d", exp), bob, two)).isEqualTo(PutOutcome.STORED);
    assertThat(store.put(value(NodeId.random(random), 1, "e", exp))).isEqualTo(PutOutcome.STORED);
    assertThat(store.placedBy(alice).records()).isEqualTo(2);
    assertThat(store.placedBy(bob).records()).isEqualTo(1);
    assertThat(store.recordCount()).isEqualTo(4);
  }

  @Test
  void placer_overItsByteQuota_isSenderFull_butReplacingItsOwnRecordCountsTheDifference() throws Exception {
    ValueRecord first = value(key, 1, "0123456789", T0.plusSeconds(60));
    S store = newStore(100, 1 << 20);
    PeerQuota quota = new PeerQuota(100, first.storedBytes() + 5);
    assertThat(store.put(first, alice, quota)).isEqualTo(PutOutcome.STORED);
    assertThat(store.put(value(NodeId.random(random), 1, "x", T0.plusSeconds(60)), alice, quota))
        .isEqualTo(PutOutcome.SENDER_FULL);
    // A newer version of the same key replaces what alice placed: 5 bytes more fit, 6 do not.
    assertThat(store.put(value(key, 2, "0123456789abcdef", T0.plusSeconds(60)), alice, quota))
        .isEqualTo(PutOutcome.SENDER_FULL);
    assertThat(store.put(value(key, 2, "0123456789abcde", T0.plusSeconds(60)), alice, quota))
        .isEqualTo(PutOutcome.STORED);
    assertThat(store.placedBy(alice)).isEqualTo(new Usage(1, first.storedBytes() + 5));
  }

  @Test
  void replacement_movesTheRecordToTheNewPlacersAccount_andStaleOrEqualPutsMoveNothing() throws Exception {
    S store = newStore(100, 1 << 20);
    Instant exp = T0.plusSeconds(60);
    ValueRecord v1 = value(key, 1, "one", exp);
    store.put(v1, alice, PeerQuota.UNLIMITED);
    assertThat(store.placedBy(alice)).isEqualTo(new Usage(1, v1.storedBytes()));

    assertThat(store.put(v1, bob, PeerQuota.UNLIMITED)).isEqualTo(PutOutcome.ALREADY_HELD);
    assertThat(store.put(value(key, 0, "zero", exp), bob, PeerQuota.UNLIMITED)).isEqualTo(PutOutcome.STALE);
    assertThat(store.placedBy(bob)).isEqualTo(Usage.NONE);

    ValueRecord tomb = ValueRecord.tombstone(key, new Version(2, writer), exp);
    assertThat(store.put(tomb, bob, PeerQuota.UNLIMITED)).isEqualTo(PutOutcome.STORED);
    assertThat(store.placedBy(alice)).isEqualTo(Usage.NONE);
    assertThat(store.placedBy(bob)).isEqualTo(new Usage(1, tomb.storedBytes()));

    // This node's own newer write takes it out of every peer's account.
    store.put(value(key, 3, "mine", exp));
    assertThat(store.placedBy(bob)).isEqualTo(Usage.NONE);
    assertThat(store.placerCount()).isZero();
  }

  @Test
  void purge_ofAPlacersExpiredRecords_givesItsQuotaBack_andDropsItsAccount() throws Exception {
    S store = newStore(100, 1 << 20);
    PeerQuota one = new PeerQuota(1, 1 << 20);
    store.put(value(NodeId.random(random), 1, "short", T0.plusSeconds(5)), alice, one);
    store.put(value(NodeId.random(random), 1, "long", T0.plusSeconds(500)), bob, one);
    assertThat(store.put(value(key, 1, "next", T0.plusSeconds(60)), alice, one)).isEqualTo(PutOutcome.SENDER_FULL);
    assertThat(store.placerCount()).isEqualTo(2);

    assertThat(store.purgeExpired(T0.plusSeconds(10))).isEqualTo(1);
    assertThat(store.placedBy(alice)).isEqualTo(Usage.NONE);
    assertThat(store.placerCount()).isEqualTo(1);
    assertThat(store.put(value(key, 1, "next", T0.plusSeconds(60)), alice, one)).isEqualTo(PutOutcome.STORED);
  }

  @Test
  void placerAccounts_neverOutnumberTheRecordsHeld() throws Exception {
    S store = newStore(10_000, 1 << 24);
    for (int i = 0; i < 300; i++) {
      store.put(value(NodeId.random(random), 1, "r", T0.plusSeconds(1 + i % 3)),
          NodeId.random(random), PeerQuota.UNLIMITED);
      assertThat((long) store.placerCount()).isLessThanOrEqualTo(store.recordCount());
    }
    store.purgeExpired(T0.plusSeconds(2));
    assertThat((long) store.placerCount()).isEqualTo(store.recordCount()).isEqualTo(100);
  }

  // ---- scans -----------------------------------------------------------------------------------

  @Test
  void scan_pagesThroughEveryLiveRecordOnce_inKeyOrder() throws Exception {
    S store = newStore(10_000, 1 << 24);
    java.util.TreeSet<NodeId> live = new java.util.TreeSet<>();
    for (int i = 0; i < 700; i++) {
      NodeId k = NodeId.random(random);
      boolean dead = i % 7 == 0;
      store.put(value(k, 1, "v", T0.plusSeconds(dead ? 1 : 600)));
      if (!dead) live.add(k);
    }
    List<NodeId> seen = new ArrayList<>();
    StoredKey after = null;
    List<ValueRecord> page;
    int pages = 0;
    do {
      page = store.scan(after, 64, T0.plusSeconds(30));
      assertThat(page).hasSizeLessThanOrEqualTo(64);
      page.forEach(r -> seen.add(r.key()));
      if (!page.isEmpty()) after = StoredKey.of(page.get(page.size() - 1));
      pages++;
    } while (page.size() == 64);
    assertThat(seen).containsExactlyElementsOf(live);
    assertThat(pages).isEqualTo(live.size() / 64 + 1);
  }

  @Test
  void scan_afterTheLastKey_isEmpty_andAfterAnAbsentKeyStartsAboveIt() throws Exception {
    S store = newStore(100, 1 << 20);
    NodeId low = NodeId.fromBytes(new byte[NodeId.BYTES]);
    byte[] highBytes = new byte[NodeId.BYTES];
    java.util.Arrays.fill(highBytes, (byte) 0xff);
    NodeId high = NodeId.fromBytes(highBytes);
    store.put(value(low, 1, "low", T0.plusSeconds(60)));
    store.put(value(high, 1, "high", T0.plusSeconds(60)));
    store.put(value(key, 1, "mid", T0.plusSeconds(60)));

    assertThat(store.scan(null, 10, T0)).extracting(ValueRecord::key).containsExactly(low, key, high);
    assertThat(store.scan(plain(low), 1, T0)).extracting(ValueRecord::key).containsExactly(key);
    assertThat(store.scan(plain(high), 10, T0)).isEmpty();
    NodeId justAboveLow = NodeId.fromBytes(java.util.Arrays.copyOf(new byte[] {0, 1}, NodeId.BYTES));
    assertThat(store.scan(plain(justAboveLow), 10, T0)).extracting(ValueRecord::key).containsExactly(key, high);
  }

  /** A plain, a signed and a content record all under {@code k}, expiring at {@code expiresAt}. */
  List<ValueRecord> threeKinds(NodeId k, Instant expiresAt) {
    SignedRecords owner = new SignedRecords();
    ValueRecord signed = ValueRecord.signedValue(k, "signed".getBytes(),
        expiresAt, owner.signature("n", 1, "signed".getBytes(), expiresAt, false));
    ValueRecord content = ValueRecord.content(k, "content".getBytes(), new Version(1, writer),
        expiresAt);
    return List.of(value(k, Long.MAX_VALUE, "plain", expiresAt), signed, content);
  }

  @Test
  void recordsOfEachKindUnderOneKey_areHeldApart_andEachIsReadOnlyAsItsKind() throws Exception {
    S store = newStore(100, 1 << 20);
    List<ValueRecord> three = threeKinds(key, T0.plusSeconds(60));
    // The plain record's version is the highest there is: were kinds compared, it would win.
    for (ValueRecord r : three) {
      assertThat(store.put(r)).as("%s", r).isEqualTo(PutOutcome.STORED);
    }

    for (ValueRecord r : three) {
      assertThat(store.get(key, r.kind(), T0)).contains(r);
    }
    assertThat(store.get(key, T0)).contains(three.get(0));
    assertThat(store.recordCount()).isEqualTo(3);
    assertThat(store.storedBytes()).isEqualTo(three.stream().mapToLong(ValueRecord::storedBytes).sum());
    assertThat(store.put(value(key, 1, "older plain", T0.plusSeconds(60)))).isEqualTo(PutOutcome.STALE);
    assertThat(store.get(key, RecordKind.SIGNED, T0)).contains(three.get(1));
  }

  @Test
  void scan_walksEveryKind_byKeyThenKind_acrossPageBoundaries() throws Exception {
    S store = newStore(100, 1 << 20);
    NodeId low = NodeId.fromBytes(new byte[NodeId.BYTES]);
    List<ValueRecord> expected = new ArrayList<>(threeKinds(low, T0.plusSeconds(60)));
    expected.addAll(threeKinds(key, T0.plusSeconds(60)));
    for (ValueRecord r : expected) store.put(r);

    List<ValueRecord> seen = new ArrayList<>();
    StoredKey after = null;
    List<ValueRecord> page;
    do {
      page = store.scan(after, 2, T0);
      seen.addAll(page);
      if (!page.isEmpty()) after = StoredKey.of(page.get(page.size() - 1));
    } while (page.size() == 2);
    List<ValueRecord> visited = new ArrayList<>();
    store.forEach(T0, visited::add);

    assertThat(seen).containsExactlyElementsOf(expected);
    assertThat(visited).containsExactlyElementsOf(expected);
  }

  @Test
  void purge_dropsTheExpiredKindOfAKey_andKeepsItsOtherKinds() throws Exception {
    S store = newStore(100, 1 << 20);
    List<ValueRecord> three = threeKinds(key, T0.plusSeconds(60));
    store.put(three.get(0));
    store.put(three.get(2));
    SignedRecords owner = new SignedRecords();
    store.put(ValueRecord.signedValue(key, new byte[] {1}, T0.plusSeconds(5),
        owner.signature("n", 1, new byte[] {1}, T0.plusSeconds(5), false)));

    assertThat(store.purgeExpired(T0.plusSeconds(5))).isEqualTo(1);
    assertThat(store.get(key, RecordKind.SIGNED, T0)).isEmpty();
    assertThat(store.get(key, RecordKind.PLAIN, T0)).contains(three.get(0));
    assertThat(store.get(key, RecordKind.CONTENT, T0)).contains(three.get(2));
    assertThat(store.recordCount()).isEqualTo(2);
    assertThat(store.storedBytes()).isEqualTo(three.get(0).storedBytes() + three.get(2).storedBytes());
  }

  @Test
  void forEach_ofMoreThanOnePage_visitsEveryRecordOnce_andMayWriteBack() throws Exception {
    S store = newStore(10_000, 1 << 24);
    for (int i = 0; i < RecordStore.SCAN_BATCH * 2 + 3; i++) {
      store.put(value(NodeId.random(random), 1, "v", T0.plusSeconds(60)));
    }
    List<NodeId> seen = new ArrayList<>();
    store.forEach(T0, r -> {
      seen.add(r.key());
      store.put(value(r.key(), 2, "w", T0.plusSeconds(60)));
    });
    assertThat(seen).hasSize(RecordStore.SCAN_BATCH * 2 + 3).doesNotHaveDuplicates();
  }

  /** An endpoint entry of {@code service} at {@code address}, signed by {@code announcer}. */
  static ValueRecord entry(KeyPair announcer, String service, String address, long seq,
      Instant expiresAt, boolean withdrawn) {
    EndpointEntry e = EndpointEntry.of(service, address, Map.of("zone", "a"), new byte[32]);
    return EndpointRecords.sign(e, seq, expiresAt, withdrawn, announcer);
  }

  @Test
  void endpointEntries_ofOneService_areASet_oneSlotPerAnnouncerKeyAndAddress_newestSeqWins()
      throws Exception {
    S store = newStore(100, 1 << 20);
    KeyPair alice = Ed25519Keys.generate();
    KeyPair bob = Ed25519Keys.generate();
    Instant exp = T0.plusSeconds(60);
    ValueRecord alice1 = entry(alice, "web", "10.0.0.1:80", 1, exp, false);
    ValueRecord alice2 = entry(alice, "web", "10.0.0.2:80", 1, exp, false);
    ValueRecord bob1 = entry(bob, "web", "10.0.0.1:80", 1, exp, false);
    NodeId service = alice1.key();

    for (ValueRecord r : List.of(alice1, alice2, bob1)) {
      assertThat(store.put(r)).as("%s", r).isEqualTo(PutOutcome.STORED);
    }
    ValueRecord withdrawn = entry(alice, "web", "10.0.0.1:80", 2, exp, true);
    assertThat(store.put(withdrawn)).isEqualTo(PutOutcome.STORED);
    assertThat(store.put(alice1)).isEqualTo(PutOutcome.STALE);
    assertThat(store.put(withdrawn)).isEqualTo(PutOutcome.ALREADY_HELD);

    assertThat(store.getAll(service, RecordKind.ENDPOINT, T0))
        .containsExactlyInAnyOrder(withdrawn, alice2, bob1);
    assertThat(store.getAll(service, RecordKind.ENDPOINT, T0).stream()
        .filter(ValueRecord::isTombstone).findFirst().orElseThrow().value())
        .as("a withdrawn entry keeps its entry").isEqualTo(alice1.value());
    assertThat(store.recordCount()).isEqualTo(3);
    assertThat(store.storedBytes()).isEqualTo(
        withdrawn.storedBytes() + alice2.storedBytes() + bob1.storedBytes());
    assertThat(store.get(service, RecordKind.ENDPOINT, T0)).as("a set has no single slot").isEmpty();
  }

  @Test
  void getAll_answersTheLiveEntriesOfOneKeyAndKind_inSubKeyOrder_andNothingElse()
      throws Exception {
    S store = newStore(100, 1 << 20);
    List<ValueRecord> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      KeyPair announcer = Ed25519Keys.generate();
      entries.add(entry(announcer, "api", "h" + i + ":1", 1, T0.plusSeconds(60), false));
      entries.add(entry(announcer, "api", "h" + i + ":10", 1, T0.plusSeconds(60), false));
    }
    ValueRecord expiring = entry(Ed25519Keys.generate(), "api", "gone:1", 1, T0.plusSeconds(5),
        false);
    ValueRecord otherService = entry(Ed25519Keys.generate(), "other", "h:1", 1,
        T0.plusSeconds(60), false);
    NodeId service = entries.get(0).key();
    for (ValueRecord r : entries) store.put(r);
    store.put(expiring);
    store.put(otherService);
    // Under the service's own key, records of the other kinds stay apart from the set.
    for (ValueRecord r : threeKinds(service, T0.plusSeconds(60))) store.put(r);

    List<ValueRecord> expected = entries.stream()
        .sorted(Comparator.comparing(StoredKey::of)).toList();
    assertThat(store.getAll(service, RecordKind.ENDPOINT, T0.plusSeconds(5)))
        .containsExactlyElementsOf(expected);
    assertThat(store.getAll(service, RecordKind.ENDPOINT, T0)).hasSize(11).contains(expiring);
    assertThat(store.getAll(otherService.key(), RecordKind.ENDPOINT, T0))
        .containsExactly(otherService);
    assertThat(store.getAll(service, RecordKind.PLAIN, T0)).hasSize(1);
    assertThat(store.getAll(service, RecordKind.SIGNED, T0)).hasSize(1);
    assertThat(store.getAll(NodeId.random(random), RecordKind.ENDPOINT, T0)).isEmpty();
  }

  @Test
  void scanAndPurge_carryEndpointEntriesLikeAnyRecord_inKeyKindSubKeyOrder() throws Exception {
    S store = newStore(100, 1 << 20);
    KeyPair announcer = Ed25519Keys.generate();
    List<ValueRecord> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      all.add(entry(announcer, "svc" + (i % 2), "host:" + (1000 + i), 1,
          T0.plusSeconds(i < 3 ? 5 : 60), false));
    }
    all.add(value(all.get(0).key(), 1, "plain beside", T0.plusSeconds(60)));
    for (ValueRecord r : all) store.put(r);

    List<ValueRecord> seen = new ArrayList<>();
    StoredKey after = null;
    List<ValueRecord> page;
    do {
      page = store.scan(after, 3, T0);
      seen.addAll(page);
      if (!page.isEmpty()) after = StoredKey.of(page.get(page.size() - 1));
    } while (page.size() == 3);
    assertThat(seen).containsExactlyElementsOf(
        all.stream().sorted(Comparator.comparing(StoredKey::of)).toList());

    assertThat(store.purgeExpired(T0.plusSeconds(5))).isEqualTo(3);
    assertThat(store.recordCount()).isEqualTo(5);
    assertThat(store.getAll(all.get(0).key(), RecordKind.ENDPOINT, T0)).hasSize(2);
    assertThat(store.getAll(all.get(1).key(), RecordKind.ENDPOINT, T0)).hasSize(2);
  }

  @Test
  void storedKey_ordersByKeyKindThenSubKeyAsUnsignedBytes_shorterFirst() {
    NodeId k = NodeId.fromBytes(new byte[NodeId.BYTES]);
    StoredKey plainKey = new StoredKey(k, RecordKind.PLAIN);
    StoredKey empty = new StoredKey(k, RecordKind.ENDPOINT);
    StoredKey a = new StoredKey(k, RecordKind.ENDPOINT, new byte[] {1});
    StoredKey ab = new StoredKey(k, RecordKind.ENDPOINT, new byte[] {1, 0});
    StoredKey high = new StoredKey(k, RecordKind.ENDPOINT, new byte[] {(byte) 0xff});
    StoredKey nextKey = new StoredKey(NodeId.fromBytes(new byte[] {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}), RecordKind.PLAIN);

    List<StoredKey> shuffled = new ArrayList<>(List.of(high, nextKey, ab, plainKey, a, empty));
    java.util.Collections.shuffle(shuffled, random);
    shuffled.sort(null);
    assertThat(shuffled).containsExactly(plainKey, empty, a, ab, high, nextKey);
    assertThat(new StoredKey(k, RecordKind.ENDPOINT, new byte[] {1}))
        .isEqualTo(a).hasSameHashCodeAs(a);
  }
}
