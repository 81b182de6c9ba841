package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.storage.RecordStore.PeerQuota;
import io.kadmesh.core.storage.RecordStore.PutOutcome;
import io.kadmesh.core.storage.RecordStore.Usage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random operation sequences (put, advance the clock, purge, scan a page, reopen) run against each
 * {@link RecordStore} and against a plain map that applies the store's rules; after every step the
 * store must answer as the map does. quicktheories shrinks a failing sequence to a minimal one.
 */
class RecordStoreModelTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  // Small limits and a small key space, so that FULL, SENDER_FULL and replacements all happen.
  private static final int MAX_RECORDS = 4;
  private static final long MAX_BYTES = 700;
  private static final PeerQuota TIGHT = new PeerQuota(2, 300);
  private static final int[] VALUE_SIZES = {0, 10, 100, 200};
  private static final Random IDS = new Random(8);
  private static final List<NodeId> KEYS = ids(6);
  private static final List<NodeId> WRITERS = ids(2);
  /** Who placed a record: this node (null) or one of three peers. */
  private static final List<NodeId> PLACERS = placers();

  @TempDir Path dir;
  private int opened;
  /** Every outcome the sequences met: a generator that never fills the store tests nothing. */
  private final Set<PutOutcome> seen = EnumSet.noneOf(PutOutcome.class);

  @Test
  void inMemoryStore_matchesTheModel_overRandomSequences() {
    qt().withFixedSeed(20261207L).withExamples(400).withShrinkCycles(5000)
        .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 60))
        .checkAssert(ops -> run(ops, new InMemoryFactory(), seen));
    assertThat(seen).containsExactlyInAnyOrder(PutOutcome.values());
  }

  @Test
  void rocksDbStore_matchesTheModel_acrossReopens() {
    // Each example opens a database: shrinking is bounded so that a failure reports in seconds.
    qt().withFixedSeed(20261208L).withExamples(50).withShrinkCycles(200)
        .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 40))
        .checkAssert(ops -> run(ops, new RocksDbFactory(dir.resolve("seq-" + opened++)), seen));
    assertThat(seen).containsExactlyInAnyOrder(PutOutcome.values());
  }

  /** How a sequence gets its store, and what "reopen" means for it. */
  private interface Factory {
    RecordStore open();

    /** The same store after a restart; an in-memory store has none, so it is kept as is. */
    RecordStore reopen(RecordStore store);
  }

  private static final class InMemoryFactory implements Factory {
    @Override
    public RecordStore open() {
      return new InMemoryRecordStore(MAX_RECORDS, MAX_BYTES);
    }

    @Override
    public RecordStore reopen(RecordStore store) {
      return store;
    }
  }

  private record RocksDbFactory(Path path) implements Factory {
    @Override
    public RecordStore open() {
      try {
        return RocksDbRecordStore.open(path, MAX_RECORDS, MAX_BYTES);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public RecordStore reopen(RecordStore store) {
      store.close();
      return open();
    }
  }

  private static void run(List<Integer> ops, Factory factory, Set<PutOutcome> seen) {
    Model model = new Model();
    Instant now = T0;
    RecordStore store = factory.open();
    try {
      for (int op : ops) {
        int kind = op & 15;
        int arg = op >>> 4;
        if (kind <= 9 || kind == 15) {
          ValueRecord r = record(arg, kind == 9, now);
          NodeId placer = PLACERS.get((arg >>> 11) % PLACERS.size());
          PeerQuota quota = (arg >>> 13) % 2 == 0 ? TIGHT : PeerQuota.UNLIMITED;
          // Catches: a STALE/ALREADY_HELD that overwrites, a limit checked before the version,
          // a quota that forgets the replaced record was the placer's own.
          PutOutcome outcome = store.put(r, placer, quota);
          assertThat(outcome).as("put %s by %s", r, placer).isEqualTo(model.put(r, placer, quota));
          seen.add(outcome);
        } else if (kind <= 11) {
          now = now.plus(Duration.ofSeconds(5L * (arg % 4)));
        } else if (kind == 12) {
          // Catches a purge that drops unexpired records, or one at the boundary instant off by one.
          assertThat(store.purgeExpired(now)).as("purged at %s", now).isEqualTo(model.purge(now));
        } else if (kind == 13) {
          NodeId after = arg % (KEYS.size() + 1) == KEYS.size() ? null : KEYS.get(arg % (KEYS.size() + 1));
          int limit = 1 + (arg >>> 3) % 4;
          // Catches a page that starts at `after` instead of past it, or counts expired records.
          assertThat(store.scan(after == null ? null : new StoredKey(after, RecordKind.PLAIN), limit, now)).as("scan after %s, %s", after, limit)
              .containsExactlyElementsOf(model.page(after, limit, now));
        } else {
          // One op in 16: a reopen costs a RocksDB flush, and the run must stay short.
          store = factory.reopen(store);
        }
        check(store, model, now);
      }
    } finally {
      store.close();
    }
  }

  /** Everything observable, compared with the model after each step. */
  private static void check(RecordStore store, Model model, Instant now) {
    for (NodeId key : KEYS) {
      // Catches an expired record served before the purge, or a tombstone read as absent.
      assertThat(store.get(key, now)).as("get %s at %s", key.shortHex(), now)
          .isEqualTo(model.get(key, now));
    }
    // Catches counters that drift on replacement or purge, or a recount on open that differs.
    assertThat(store.recordCount()).as("records").isEqualTo(model.held.size());
    assertThat(store.storedBytes()).as("bytes").isEqualTo(model.bytes());
    for (NodeId placer : PLACERS) {
      if (placer == null) continue;
      // Catches a replaced record left on its old placer's account, or a placer lost on reopen.
      assertThat(store.placedBy(placer)).as("placed by %s", placer.shortHex())
          .isEqualTo(model.usage(placer));
    }
    assertThat(store.placerCount()).as("placers").isEqualTo(model.placerCount());
    List<ValueRecord> walked = new ArrayList<>();
    StoredKey after = null;
    List<ValueRecord> page;
    // Pages of 2 so that a walk crosses page boundaries; catches a skipped or repeated key there.
    do {
      page = store.scan(after, 2, now);
      walked.addAll(page);
      if (!page.isEmpty()) after = StoredKey.of(page.get(page.size() - 1));
    } while (page.size() == 2);
    assertThat(walked).as("walk").containsExactlyElementsOf(model.page(null, Integer.MAX_VALUE, now));
  }

  private static ValueRecord record(int arg, boolean tombstone, Instant now) {
    NodeId key = KEYS.get(arg % KEYS.size());
    Version version = new Version((arg >>> 3) % 4, WRITERS.get((arg >>> 5) % WRITERS.size()));
    // Expiry 0 s: a record that arrives already expired (the store keeps it until a purge).
    Instant expiresAt = now.plus(Duration.ofSeconds(5L * ((arg >>> 6) % 7)));
    if (tombstone) return ValueRecord.tombstone(key, version, expiresAt);
    byte[] value = new byte[VALUE_SIZES[(arg >>> 9) % VALUE_SIZES.length]];
    Arrays.fill(value, (byte) arg);
    return ValueRecord.value(key, value, version, expiresAt);
  }

  private static List<NodeId> ids(int n) {
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add(NodeId.random(IDS));
    return List.copyOf(ids);
  }

  private static List<NodeId> placers() {
    List<NodeId> p = new ArrayList<>();
    p.add(null);
    p.addAll(ids(3));
    return p;
  }

  /**
   * The store's rules, written plainly: one record per key, newest version wins (ties by writer
   * ID, as {@link Version} orders them), tombstones are records, expired records stay until a
   * purge but are never returned, and a put that would pass the store's limits or its placer's
   * quota is refused. Totals are summed afresh each time rather than kept as counters.
   */
  private static final class Model {
    private record Held(ValueRecord record, NodeId placer) {}

    final Map<NodeId, Held> held = new HashMap<>();

    PutOutcome put(ValueRecord r, NodeId placer, PeerQuota quota) {
      Held old = held.get(r.key());
      if (old != null) {
        Version a = r.version();
        Version b = old.record.version();
        if (a.sequence() == b.sequence() && a.writer().equals(b.writer())) return PutOutcome.ALREADY_HELD;
        boolean older = a.sequence() < b.sequence()
            || (a.sequence() == b.sequence() && a.writer().compareTo(b.writer()) < 0);
        if (older) return PutOutcome.STALE;
      }
      Map<NodeId, Held> after = new HashMap<>(held);
      after.put(r.key(), new Held(r, placer));
      if (after.size() > MAX_RECORDS || bytes(after) > MAX_BYTES) return PutOutcome.FULL;
      if (placer != null) {
        Usage u = usage(after, placer);
        if (u.records() > quota.maxRecords() || u.bytes() > quota.maxBytes()) {
          return PutOutcome.SENDER_FULL;
        }
      }
      held.put(r.key(), new Held(r, placer));
      return PutOutcome.STORED;
    }

    Optional<ValueRecord> get(NodeId key, Instant now) {
      Held h = held.get(key);
      return h == null || !now.isBefore(h.record.expiresAt()) ? Optional.empty() : Optional.of(h.record);
    }

    int purge(Instant now) {
      int before = held.size();
      held.values().removeIf(h -> !now.isBefore(h.record.expiresAt()));
      return before - held.size();
    }

    /** Live records with a key above {@code after}, in key order, at most {@code limit}. */
    List<ValueRecord> page(NodeId after, int limit, Instant now) {
      TreeMap<NodeId, ValueRecord> live = new TreeMap<>();
      for (NodeId key : held.keySet()) get(key, now).ifPresent(r -> live.put(key, r));
      return (after == null ? live : live.tailMap(after, false)).values().stream().limit(limit).toList();
    }

    long bytes() {
      return bytes(held);
    }

    Usage usage(NodeId placer) {
      return usage(held, placer);
    }

    int placerCount() {
      return (int) held.values().stream().map(Held::placer).filter(Objects::nonNull).distinct().count();
    }

    private static long bytes(Map<NodeId, Held> records) {
      return records.values().stream().mapToLong(h -> h.record.storedBytes()).sum();
    }

    private static Usage usage(Map<NodeId, Held> records, NodeId placer) {
      List<Held> mine = records.values().stream().filter(h -> placer.equals(h.placer)).toList();
      return new Usage(mine.size(), mine.stream().mapToLong(h -> h.record.storedBytes()).sum());
    }
  }
}
