package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadStatsTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final Random random = new Random(5);
  private final NodeId writer = NodeId.random(random);
  private final InMemoryRecordStore store = new InMemoryRecordStore(100, 1 << 20);
  private final ReadStats stats = new ReadStats();

  private ValueRecord value(NodeId key, long sequence, Duration ttl) {
    return ValueRecord.value(key, new byte[] {1}, new Version(sequence, writer), T0.plus(ttl));
  }

  @Test
  void served_countsEachReadOfARecord_andKeepsTheLatestTime() {
    ValueRecord r = value(NodeId.random(random), 1, Duration.ofHours(1));

    stats.served(r, T0.plusSeconds(5));
    stats.served(r, T0.plusSeconds(9));
    stats.served(r, T0.plusSeconds(7)); // a read that finished out of order

    assertThat(stats.of(StoredKey.of(r))).isEqualTo(new ReadStats.Reads(T0.plusSeconds(9), 3));
  }

  @Test
  void of_aRecordNeverRead_isNone() {
    assertThat(stats.of(new StoredKey(NodeId.random(random), RecordKind.PLAIN)))
        .isEqualTo(ReadStats.Reads.NONE);
  }

  @Test
  void reads_ofOneKeysKinds_areCountedApart() {
    NodeId key = NodeId.random(random);
    ValueRecord plain = value(key, 1, Duration.ofHours(1));
    ValueRecord content = ValueRecord.content(key, new byte[] {2}, new Version(1, writer),
        T0.plusSeconds(60));

    stats.served(plain, T0);
    stats.served(plain, T0);
    stats.served(content, T0);

    assertThat(stats.of(StoredKey.of(plain)).count()).isEqualTo(2);
    assertThat(stats.of(StoredKey.of(content)).count()).isEqualTo(1);
  }

  @Test
  void prune_dropsTheEntriesOfRecordsNoLongerHeld_andKeepsThoseOfReplacedVersions() {
    ValueRecord shortLived = value(NodeId.random(random), 1, Duration.ofMinutes(1));
    ValueRecord replaced = value(NodeId.random(random), 1, Duration.ofMinutes(1));
    ValueRecord neverKept = value(NodeId.random(random), 1, Duration.ofHours(1));
    store.put(shortLived);
    store.put(replaced);
    store.put(value(replaced.key(), 2, Duration.ofHours(1)));
    stats.served(shortLived, T0);
    stats.served(replaced, T0);
    stats.served(neverKept, T0);

    Instant later = T0.plus(Duration.ofMinutes(2));
    store.purgeExpired(later);
    int dropped = stats.prune(store, later);

    assertThat(dropped).isEqualTo(2);
    assertThat(stats.size()).isEqualTo(1);
    assertThat(stats.of(StoredKey.of(replaced)).count()).isEqualTo(1);
    assertThat(stats.of(StoredKey.of(shortLived))).isEqualTo(ReadStats.Reads.NONE);
  }
}
