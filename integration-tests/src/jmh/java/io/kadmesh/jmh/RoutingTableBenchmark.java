package io.kadmesh.jmh;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.routing.UpdateResult;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The routing table's two hot paths: {@code seen}, run for every message a node receives, and
 * {@code closest}, run for every FindNode / FindValue answered and every lookup started. Tables use
 * the default config (k = 20, replacement cache, failures, freshness) and a fixed clock.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoutingTableBenchmark {
  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

  static RoutingTable table(NodeId self) {
    NodeConfig config = NodeConfig.defaults();
    return new RoutingTable(self, config.k(), config.replacementCacheSize(), config.maxFailures(),
        config.contactFreshness(), NOW);
  }

  static Contact contact(NodeId id, int n) {
    return new Contact(id, "10.0." + (n >> 8 & 0xFF) + "." + (n & 0xFF) + ":7400");
  }

  /**
   * A table holding 1,000 contacts: buckets 0 to 49 full with 20 each, as in a network large enough
   * to fill them; newcomers are random IDs, so half of them knock at the full bucket 0.
   */
  @State(Scope.Thread)
  public static class Full {
    static final int BUCKETS = 50;
    static final int NEWCOMERS = 1024;

    RoutingTable table;
    Contact[] known;
    Contact[] newcomers = new Contact[NEWCOMERS];
    int i;

    @Setup
    public void setUp() {
      Random random = new Random(7);
      NodeId self = NodeId.random(random);
      table = table(self);
      int k = table.k();
      known = new Contact[BUCKETS * k];
      for (int b = 0; b < BUCKETS; b++) {
        for (int j = 0; j < k; j++) {
          int n = b * k + j;
          known[n] = contact(self.randomWithPrefix(b, random), n);
          table.seen(known[n], NOW);
        }
      }
      if (table.size() != known.length) {
        throw new IllegalStateException("table holds " + table.size() + ", expected " + known.length);
      }
      // Shuffled, so consecutive updates touch different buckets.
      for (int j = known.length - 1; j > 0; j--) {
        int r = random.nextInt(j + 1);
        Contact t = known[j];
        known[j] = known[r];
        known[r] = t;
      }
      for (int j = 0; j < NEWCOMERS; j++) {
        newcomers[j] = contact(NodeId.random(random), known.length + j);
      }
    }
  }

  /** A known contact heard from again: moved to its bucket's tail. */
  @Benchmark
  public UpdateResult seenKnown(Full s) {
    int j = s.i + 1 == s.known.length ? 0 : s.i + 1;
    s.i = j;
    return s.table.seen(s.known[j], NOW);
  }

  /**
   * A random newcomer: almost always lands in a full bucket (0 to 49 hold all but 2^-50 of the ID
   * space), so it goes to the replacement cache; the fresh head is not pinged.
   */
  @Benchmark
  public UpdateResult seenNewcomer(Full s) {
    int j = (s.i + 1) & (Full.NEWCOMERS - 1);
    s.i = j;
    return s.table.seen(s.newcomers[j], NOW);
  }

  /**
   * A table that was offered {@code offered} random contacts (as a node of a network that size
   * would hear of), keeping what k-buckets keep: about 20 per bucket down to log2(offered / 20).
   */
  @State(Scope.Thread)
  public static class Offered {
    static final int TARGETS = 1024;

    @Param({"100", "10000"})
    int offered;

    RoutingTable table;
    NodeId[] targets = new NodeId[TARGETS];
    int i;

    @Setup
    public void setUp() {
      Random random = new Random(11);
      table = table(NodeId.random(random));
      for (int n = 0; n < offered; n++) {
        table.seen(contact(NodeId.random(random), n), NOW);
      }
      for (int j = 0; j < TARGETS; j++) {
        targets[j] = NodeId.random(random);
      }
    }
  }

  /** The 20 closest to a random target, as FindNode answers and a lookup starts. */
  @Benchmark
  public List<Contact> closest(Offered s) {
    int j = (s.i + 1) & (Offered.TARGETS - 1);
    s.i = j;
    return s.table.closest(s.targets[j], 20);
  }
}
