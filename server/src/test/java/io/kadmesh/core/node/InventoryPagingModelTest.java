package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.RocksDbRecordStore;
import io.kadmesh.core.storage.StoredKey;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inventory walked a page at a time while records are written, replaced, expire and are purged
 * between pages: a walk never repeats a record, sees them in ascending order, and never misses one
 * that stayed put (held from the walk's first page to its last). Seeded random trials, each against
 * the in-memory store and RocksDB.
 */
class InventoryPagingModelTest {
  /** RocksDB opens a store per trial, which costs far more than the walk. */
  private static final int TRIALS = 150;
  private static final int ROCKSDB_TRIALS = 25;
  private static final Random IDS = new Random(12);
  private static final List<NodeId> KEYS = ids(24);
  private static final RecordKind[] KINDS = {RecordKind.PLAIN, RecordKind.CONTENT};

  @TempDir Path dir;
  private int stores;

  private static List<NodeId> ids(int n) {
    List<NodeId> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(NodeId.random(IDS));
    return out;
  }

  @Test
  void inventoryOverTheInMemoryStore_neverLosesOrRepeatsAStableRecord() {
    runTrials(TRIALS, () -> new InMemoryRecordStore(10_000, 1L << 24));
  }

  @Test
  void inventoryOverRocksDb_neverLosesOrRepeatsAStableRecord() {
    runTrials(ROCKSDB_TRIALS, () -> {
      try {
        return RocksDbRecordStore.open(dir.resolve("store-" + stores++), 10_000, 1L << 24);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }

  private void runTrials(int trials, Supplier<RecordStore> stores) {
    for (int trial = 0; trial < trials; trial++) {
      try (RecordStore store = stores.get()) {
        new Trial(new Random(trial), store).run();
      } catch (AssertionError e) {
        throw new AssertionError("trial " + trial + ": " + e.getMessage(), e);
      }
    }
  }

  /** One walk with random changes between its pages. */
  private static final class Trial {
    private final Random random;
    private final RecordStore store;
    private final VirtualScheduler scheduler = new VirtualScheduler();
    private final KademliaNode node;
    private final NodeId writer = NodeId.random(new Random(3));
    private long sequence = 1;

    Trial(Random random, RecordStore store) {
      this.random = random;
      this.store = store;
      Contact self = new Contact(NodeId.random(random), "a:1");
      node = new KademliaNode(NodeConfig.defaults(), self,
          new InMemoryNetwork(scheduler, new Random(1)).transportFor(self), store, scheduler,
          new Random(2));
    }

    void run() {
      for (int i = random.nextInt(30); i > 0; i--) write();
      Set<StoredKey> heldAtStart = held();
      Set<StoredKey> removedMeanwhile = new HashSet<>();
      List<StoredKey> seen = new ArrayList<>();
      StoredKey after = null;
      do {
        InventoryPage page = node.inventory(after, 1 + random.nextInt(5));
        page.records().forEach(r -> seen.add(StoredKey.of(r.record())));
        after = page.next();
        removedMeanwhile.addAll(changeBetweenPages());
      } while (after != null);

      assertThat(seen).doesNotHaveDuplicates().isSorted();
      Set<StoredKey> stable = new HashSet<>(heldAtStart);
      stable.removeAll(removedMeanwhile);
      assertThat(seen).containsAll(stable);
    }

    /** A few writes, replacements, deletes and expiries; answers the slots that were purged. */
    private Set<StoredKey> changeBetweenPages() {
      for (int i = random.nextInt(4); i > 0; i--) write();
      if (random.nextInt(3) > 0) return Set.of();
      Set<StoredKey> before = held();
      scheduler.advance(Duration.ofSeconds(random.nextInt(40)));
      store.purgeExpired(scheduler.now());
      Set<StoredKey> gone = new HashSet<>(before);
      gone.removeAll(held());
      return gone;
    }

    /** A new record, a newer version of one held, or a tombstone, expiring within a minute. */
    private void write() {
      NodeId key = KEYS.get(random.nextInt(KEYS.size()));
      RecordKind kind = KINDS[random.nextInt(KINDS.length)];
      Version version = new Version(sequence++, writer);
      Instant expiresAt = scheduler.now().plusSeconds(1 + random.nextInt(60));
      byte[] value = new byte[random.nextInt(20)];
      ValueRecord r = kind == RecordKind.CONTENT ? ValueRecord.content(key, value, version, expiresAt)
          : random.nextInt(4) == 0 ? ValueRecord.tombstone(key, version, expiresAt)
          : ValueRecord.value(key, value, version, expiresAt);
      store.put(r);
    }

    private Set<StoredKey> held() {
      Set<StoredKey> out = new HashSet<>();
      store.forEach(scheduler.now(), r -> out.add(StoredKey.of(r)));
      return out;
    }
  }
}
