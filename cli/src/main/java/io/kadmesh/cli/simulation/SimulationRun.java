package io.kadmesh.cli.simulation;

import io.kadmesh.cli.bench.LookupTracer;
import io.kadmesh.cli.bench.Percentiles;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.progress.Progress;
import io.kadmesh.core.progress.ProgressReporter;
import io.kadmesh.testing.Adversaries;
import io.kadmesh.testing.JoinVia;
import io.kadmesh.testing.SimulatedMesh;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntSupplier;

/**
 * One network size of {@code kadmesh simulate}, in three scenarios, each on a freshly built
 * {@link SimulatedMesh} from the same seed: steady (every node up), churn (a fraction of nodes
 * replaced over a virtual hour while gets run), dead (a fraction of nodes silently gone before the
 * gets); or, for the adversary table, with a fraction of the nodes lying to their peers. Maintenance
 * jobs are not started: a virtual hour does not reach the one-hour refresh.
 */
final class SimulationRun {
  /** What to simulate. */
  record Settings(int nodes, int lookups, double churnPerHour, double deadFraction,
      Duration latency, double loss, long seed, Build build) {}

  /**
   * How a network is built: routing tables filled from the sorted ID list (fast, as a
   * long-running network would have them), or every node joining through a random earlier one.
   */
  enum Build { PREFILL, JOIN }

  /** One scenario's figures. Hops and RPCs are per operation; success rates in [0, 1]. */
  record Scenario(String name, int nodes, int puts, double putSuccess, int gets, double getSuccess,
      double hopsP50, double hopsP95, double hopsMean, double valueHopsP50, double rpcsPerGet,
      double rpcsPerGetP50, double rpcsPerPut, double networkRequestsPerGet, double pingsPerGet,
      double virtualLatencyP50Ms, double wallSeconds,
      double buildSeconds, long heapPerNodeBytes, String note) {}

  /**
   * One row of the adversary table: a network where a fraction of the nodes lie, puts and gets
   * through honest nodes only. Rates in [0, 1]; RPCs and hops per get.
   */
  record Adversarial(int nodes, double fraction, String behaviour, int liars, int puts,
      double putSuccess, int gets, double getSuccess, double rpcsPerGetP50, double rpcsPerGetP95,
      double hopsP50, double hopsP95, long forgedAnswers, long droppedStores, double wallSeconds) {}

  private static final int VALUE_BYTES = 64;
  private static final Duration OP_LIMIT = Duration.ofMinutes(2);
  private static final Duration HOUR = Duration.ofHours(1);

  private final Settings settings;
  private final NodeConfig config = NodeConfig.defaults();

  private ProgressReporter reporter = ProgressReporter.NONE;

  SimulationRun(Settings settings) {
    this.settings = settings;
  }

  /** Where each scenario reports how many of its gets are done (by default nowhere). */
  SimulationRun progress(ProgressReporter to) {
    this.reporter = to;
    return this;
  }

  Scenario steady() {
    Built b = build();
    Keys keys = putAll(b, b.mesh::randomRunning);
    Tally t = new Tally(b, settings.lookups());
    for (int i = 0; i < settings.lookups(); i++) {
      getSequential(b, keys, i % keys.size(), t);
    }
    return t.scenario("steady", b, keys, "");
  }

  Scenario dead() {
    Built b = build();
    Keys keys = putAll(b, b.mesh::randomRunning);
    int dead = (int) Math.round(settings.deadFraction() * settings.nodes());
    for (int i = 0; i < dead; i++) b.mesh.crash(b.mesh.randomRunning());
    Tally t = new Tally(b, settings.lookups());
    for (int i = 0; i < settings.lookups(); i++) {
      getSequential(b, keys, i % keys.size(), t);
    }
    return t.scenario("dead " + pct(settings.deadFraction()), b, keys,
        dead + " nodes silent after the puts");
  }

  /**
   * Over one virtual hour, churn × N nodes crash (silent) and as many new ones join through a
   * random live node, at seeded random times; the gets run at random times in the same hour.
   */
  Scenario churn() {
    Built b = build();
    Keys keys = putAll(b, b.mesh::randomRunning);
    SimulatedMesh mesh = b.mesh;
    VirtualScheduler s = mesh.scheduler();
    Random times = new Random(settings.seed() ^ 0x5eed);
    int replaced = (int) Math.round(settings.churnPerHour() * settings.nodes());
    for (int i = 0; i < replaced; i++) {
      s.schedule(randomWithin(times, HOUR), () -> {
        mesh.crash(mesh.randomRunning());
        mesh.addAsync(mesh.randomRunning());
      });
    }
    Tally t = new Tally(b, settings.lookups());
    for (int i = 0; i < settings.lookups(); i++) {
      int key = i % keys.size();
      s.schedule(randomWithin(times, HOUR), () -> getAsync(b, keys, key, t));
    }
    s.advance(HOUR.plus(OP_LIMIT));
    return t.scenario("churn " + pct(settings.churnPerHour()) + "/h", b, keys,
        replaced + " nodes replaced in the hour");
  }

  /**
   * {@code fraction} of the nodes, chosen with a seeded random, lie as {@code lies} says (see
   * {@link Adversaries}) from before the puts; every put and get goes through an honest node, the
   * get through another than the key's writer.
   */
  Adversarial adversarial(double fraction, Set<Adversaries.Lie> lies, String behaviour) {
    Built b = build();
    Adversaries liars = Adversaries.choose(b.mesh, fraction, lies,
        new Random(settings.seed() ^ 0xad7e25a1L));
    List<Integer> honest = liars.honest();
    Random random = b.mesh.random();
    Keys keys = putAll(b, () -> honest.get(random.nextInt(honest.size())));
    Tally t = new Tally(b, settings.lookups());
    for (int i = 0; i < settings.lookups(); i++) {
      int key = i % keys.size();
      CompletableFuture<Void> done = getAsync(b, keys, key, t,
          () -> otherThan(honest, random, keys.writers[key]));
      b.mesh.scheduler().runUntil(done::isDone, OP_LIMIT);
    }
    return t.adversarial(fraction, behaviour, liars, b, keys);
  }

  /**
   * A built network, with the tracer its transports feed and their tallies (shared by every node:
   * the simulator is single-threaded): [0] every request, [1] pings.
   */
  private record Built(SimulatedMesh mesh, LookupTracer tracer, long[] requests,
      double buildSeconds, long heapPerNode, long started) {}

  private Built build() {
    long before = heapUsedAfterGc();
    long t0 = System.nanoTime();
    LookupTracer tracer = new LookupTracer();
    long[] requests = new long[2];
    SimulatedMesh.Builder builder = SimulatedMesh.builder()
        .size(settings.nodes())
        .config(config)
        .seed(settings.seed())
        .networkPrefix("sim")
        .latency(settings.latency())
        .loss(settings.loss())
        .maintenance(false)
        .transport((self, t) -> new TracingTransport(t, self.address(), tracer, requests));
    if (settings.build() == Build.PREFILL) {
      builder.prefilledTables();
    } else {
      builder.joinVia(JoinVia.RANDOM);
    }
    SimulatedMesh mesh = builder.start();
    double seconds = (System.nanoTime() - t0) / 1e9;
    long perNode = (heapUsedAfterGc() - before) / settings.nodes();
    return new Built(mesh, tracer, requests, seconds, perNode, System.nanoTime());
  }

  /** The keys written, their values, and the node each was written through. */
  private record Keys(NodeId[] ids, byte[][] values, int[] writers, int stored,
      double rpcsPerPut) {
    int size() {
      return ids.length;
    }
  }

  /** As many puts as lookups, one at a time, each through the member {@code through} names. */
  private Keys putAll(Built b, IntSupplier through) {
    SimulatedMesh mesh = b.mesh;
    Random random = new Random(settings.seed() + 1);
    int n = settings.lookups();
    NodeId[] ids = new NodeId[n];
    byte[][] values = new byte[n][];
    int[] writers = new int[n];
    int stored = 0;
    long rpcs = 0;
    for (int i = 0; i < n; i++) {
      ids[i] = NodeId.ofKey("sim-" + settings.seed() + "-" + i);
      values[i] = new byte[VALUE_BYTES];
      random.nextBytes(values[i]);
      writers[i] = through.getAsInt();
      KademliaNode writer = mesh.node(writers[i]);
      String sender = writer.self().address();
      b.tracer.begin(sender, ids[i], writer.routingTable().closest(ids[i], config.k()));
      var f = writer.put(ids[i], values[i], null, null);
      mesh.scheduler().runUntil(f::isDone, OP_LIMIT);
      if (f.isDone() && !f.isCompletedExceptionally()) stored++;
      rpcs += b.tracer.end(sender, ids[i]).requests();
    }
    return new Keys(ids, values, writers, stored, (double) rpcs / n);
  }

  private void getSequential(Built b, Keys keys, int key, Tally t) {
    CompletableFuture<Void> done = getAsync(b, keys, key, t);
    b.mesh.scheduler().runUntil(done::isDone, OP_LIMIT);
  }

  /** A get of key {@code key} through a live node other than its writer; tallied when it ends. */
  private CompletableFuture<Void> getAsync(Built b, Keys keys, int key, Tally t) {
    return getAsync(b, keys, key, t, () -> randomRunningOtherThan(b.mesh, keys.writers[key]));
  }

  /** A get of key {@code key} through the member {@code reader} names; tallied when it ends. */
  private CompletableFuture<Void> getAsync(Built b, Keys keys, int key, Tally t,
      IntSupplier reader) {
    SimulatedMesh mesh = b.mesh;
    KademliaNode via = mesh.node(reader.getAsInt());
    NodeId id = keys.ids[key];
    String sender = via.self().address();
    LookupTracer tracer = b.tracer;
    tracer.begin(sender, id, via.routingTable().closest(id, config.k()));
    long start = mesh.now().toEpochMilli();
    return via.get(id, null).handle((Optional<ValueRecord> r, Throwable e) -> {
      boolean ok = e == null && r.isPresent() && Arrays.equals(r.get().valueUnsafe(), keys.values[key]);
      t.add(ok, tracer.end(sender, id), mesh.now().toEpochMilli() - start);
      return null;
    });
  }

  /** A running member other than {@code not}, when there is another. */
  private static int randomRunningOtherThan(SimulatedMesh mesh, int not) {
    int i;
    do {
      i = mesh.randomRunning();
    } while (i == not && mesh.running().size() > 1);
    return i;
  }

  /** A member of {@code pool} other than {@code not}, when there is another. */
  private static int otherThan(List<Integer> pool, Random random, int not) {
    int i;
    do {
      i = pool.get(random.nextInt(pool.size()));
    } while (i == not && pool.size() > 1);
    return i;
  }

  /** The gets' outcomes. */
  private final class Tally {
    final int[] hops;
    final int[] valueHops;
    final int[] rpcs;
    final long[] latencyMs;
    int n;
    int ok;

    final long[] requests;
    final long requestsBefore;
    final long pingsBefore;
    final Progress progress;

    Tally(Built b, int capacity) {
      this.progress = reporter.start("simulate " + settings.nodes() + " nodes", capacity, "gets");
      this.requests = b.requests;
      requestsBefore = requests[0];
      pingsBefore = requests[1];
      hops = new int[capacity];
      valueHops = new int[capacity];
      rpcs = new int[capacity];
      latencyMs = new long[capacity];
    }

    void add(boolean success, LookupTracer.Cost cost, long ms) {
      if (success) ok++;
      hops[n] = cost.hops();
      valueHops[n] = cost.valueHops();
      rpcs[n] = cost.requests();
      latencyMs[n] = ms;
      n++;
      progress.step();
    }

    Scenario scenario(String name, Built b, Keys keys, String note) {
      progress.close();
      double wall = (System.nanoTime() - b.started) / 1e9;
      return new Scenario(name, settings.nodes(), keys.size(), (double) keys.stored / keys.size(),
          n, n == 0 ? Double.NaN : (double) ok / n, pctl(hops, 50), pctl(hops, 95), mean(hops),
          pctl(valueHops, 50), mean(rpcs), pctl(rpcs, 50), keys.rpcsPerPut(),
          n == 0 ? Double.NaN : (double) (requests[0] - requestsBefore) / n,
          n == 0 ? Double.NaN : (double) (requests[1] - pingsBefore) / n,
          pctlLong(latencyMs, 50), wall, b.buildSeconds, b.heapPerNode, note);
    }

    Adversarial adversarial(double fraction, String behaviour, Adversaries liars, Built b,
        Keys keys) {
      progress.close();
      return new Adversarial(settings.nodes(), fraction, behaviour, liars.count(), keys.size(),
          (double) keys.stored / keys.size(), n, n == 0 ? Double.NaN : (double) ok / n,
          pctl(rpcs, 50), pctl(rpcs, 95), pctl(hops, 50), pctl(hops, 95), liars.forgedAnswers(),
          liars.droppedStores(), (System.nanoTime() - b.started) / 1e9 + b.buildSeconds);
    }

    private double mean(int[] v) {
      return Percentiles.mean(v, n);
    }

    private double pctl(int[] v, double p) {
      return Percentiles.of(v, n, p);
    }

    private double pctlLong(long[] v, double p) {
      return Percentiles.of(v, n, p);
    }
  }

  private static Duration randomWithin(Random random, Duration span) {
    return Duration.ofMillis((long) (random.nextDouble() * span.toMillis()));
  }

  private static String pct(double fraction) {
    return (Math.round(fraction * 1000) / 10.0) + "%";
  }

  static long heapUsedAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
