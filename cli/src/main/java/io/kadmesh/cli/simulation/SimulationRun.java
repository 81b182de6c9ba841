package io.kadmesh.cli.simulation;

import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.cli.bench.LookupTracer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * One network size of {@code kadmesh simulate}, in three scenarios, each on a freshly built network
 * from the same seed: steady (every node up), churn (a fraction of nodes replaced over a virtual
 * hour while gets run), dead (a fraction of nodes silently gone before the gets).
 */
final class SimulationRun {
  /** What to simulate. */
  record Settings(int nodes, int lookups, double churnPerHour, double deadFraction,
      Duration latency, double loss, long seed, SimulatedNetwork.Build build) {}

  /** One scenario's figures. Hops and RPCs are per operation; success rates in [0, 1]. */
  record Scenario(String name, int nodes, int puts, double putSuccess, int gets, double getSuccess,
      double hopsP50, double hopsP95, double hopsMean, double valueHopsP50, double rpcsPerGet,
      double rpcsPerGetP50, double rpcsPerPut, double networkRequestsPerGet, double pingsPerGet,
      double virtualLatencyP50Ms, double wallSeconds,
      double buildSeconds, long heapPerNodeBytes, String note) {}

  private static final int VALUE_BYTES = 64;
  private static final Duration OP_LIMIT = Duration.ofMinutes(2);
  private static final Duration HOUR = Duration.ofHours(1);

  private final Settings settings;
  private final NodeConfig config = NodeConfig.defaults();

  SimulationRun(Settings settings) {
    this.settings = settings;
  }

  Scenario steady() {
    Built b = build();
    Keys keys = putAll(b);
    Tally t = new Tally(b.net, settings.lookups());
    for (int i = 0; i < settings.lookups(); i++) {
      getSequential(b.net, keys, i % keys.size(), t);
    }
    return t.scenario("steady", b, keys, "");
  }

  Scenario dead() {
    Built b = build();
    Keys keys = putAll(b);
    int dead = (int) Math.round(settings.deadFraction() * settings.nodes());
    for (int i = 0; i < dead; i++) b.net.killRandom();
    Tally t = new Tally(b.net, settings.lookups());
    for (int i = 0; i < settings.lookups(); i++) {
      getSequential(b.net, keys, i % keys.size(), t);
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
    Keys keys = putAll(b);
    SimulatedNetwork net = b.net;
    VirtualScheduler s = net.scheduler();
    Random times = new Random(settings.seed() ^ 0x5eed);
    int replaced = (int) Math.round(settings.churnPerHour() * settings.nodes());
    for (int i = 0; i < replaced; i++) {
      s.schedule(randomWithin(times, HOUR), () -> {
        net.killRandom();
        net.addJoining();
      });
    }
    Tally t = new Tally(b.net, settings.lookups());
    for (int i = 0; i < settings.lookups(); i++) {
      int key = i % keys.size();
      s.schedule(randomWithin(times, HOUR), () -> getAsync(net, keys, key, t));
    }
    s.advance(HOUR.plus(OP_LIMIT));
    return t.scenario("churn " + pct(settings.churnPerHour()) + "/h", b, keys,
        replaced + " nodes replaced in the hour");
  }

  private record Built(SimulatedNetwork net, double buildSeconds, long heapPerNode, long started) {}

  private Built build() {
    long before = heapUsedAfterGc();
    long t0 = System.nanoTime();
    Random random = new Random(settings.seed());
    SimulatedNetwork net = new SimulatedNetwork(config, settings.nodes(), settings.latency(),
        settings.loss(), random, settings.build());
    double seconds = (System.nanoTime() - t0) / 1e9;
    long perNode = (heapUsedAfterGc() - before) / settings.nodes();
    return new Built(net, seconds, perNode, System.nanoTime());
  }

  /** The keys written, their values, and the node each was written through. */
  private record Keys(NodeId[] ids, byte[][] values, KademliaNode[] writers, int stored,
      double rpcsPerPut) {
    int size() {
      return ids.length;
    }
  }

  /** As many puts as lookups, one at a time, through random nodes. */
  private Keys putAll(Built b) {
    SimulatedNetwork net = b.net;
    Random random = new Random(settings.seed() + 1);
    int n = settings.lookups();
    NodeId[] ids = new NodeId[n];
    byte[][] values = new byte[n][];
    KademliaNode[] writers = new KademliaNode[n];
    int stored = 0;
    long rpcs = 0;
    for (int i = 0; i < n; i++) {
      ids[i] = NodeId.ofKey("sim-" + settings.seed() + "-" + i);
      values[i] = new byte[VALUE_BYTES];
      random.nextBytes(values[i]);
      writers[i] = net.randomLive();
      String sender = writers[i].self().address();
      net.tracer().begin(sender, ids[i], writers[i].routingTable().closest(ids[i], config.k()));
      var f = writers[i].put(ids[i], values[i], null, null);
      net.scheduler().runUntil(f::isDone, OP_LIMIT);
      if (f.isDone() && !f.isCompletedExceptionally()) stored++;
      rpcs += net.tracer().end(sender, ids[i]).requests();
    }
    return new Keys(ids, values, writers, stored, (double) rpcs / n);
  }

  private void getSequential(SimulatedNetwork net, Keys keys, int key, Tally t) {
    CompletableFuture<Void> done = getAsync(net, keys, key, t);
    net.scheduler().runUntil(done::isDone, OP_LIMIT);
  }

  /** A get of key {@code key} through a live node other than its writer; tallied when it ends. */
  private CompletableFuture<Void> getAsync(SimulatedNetwork net, Keys keys, int key, Tally t) {
    KademliaNode via = net.randomLiveOtherThan(keys.writers[key]);
    NodeId id = keys.ids[key];
    String sender = via.self().address();
    LookupTracer tracer = net.tracer();
    tracer.begin(sender, id, via.routingTable().closest(id, config.k()));
    long start = net.scheduler().now().toEpochMilli();
    return via.get(id, null).handle((Optional<io.kadmesh.core.ValueRecord> r, Throwable e) -> {
      boolean ok = e == null && r.isPresent() && Arrays.equals(r.get().valueUnsafe(), keys.values[key]);
      t.add(ok, tracer.end(sender, id), net.scheduler().now().toEpochMilli() - start);
      return null;
    });
  }

  /** The gets' outcomes. */
  private final class Tally {
    final int[] hops;
    final int[] valueHops;
    final int[] rpcs;
    final long[] latencyMs;
    int n;
    int ok;

    final SimulatedNetwork net;
    final long requestsBefore;
    final long pingsBefore;

    Tally(SimulatedNetwork net, int capacity) {
      this.net = net;
      requestsBefore = net.requests();
      pingsBefore = net.pings();
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
    }

    Scenario scenario(String name, Built b, Keys keys, String note) {
      double wall = (System.nanoTime() - b.started) / 1e9;
      return new Scenario(name, settings.nodes(), keys.size(), (double) keys.stored / keys.size(),
          n, n == 0 ? Double.NaN : (double) ok / n, pctl(hops, 50), pctl(hops, 95), mean(hops),
          pctl(valueHops, 50), mean(rpcs), pctl(rpcs, 50), keys.rpcsPerPut(),
          n == 0 ? Double.NaN : (double) (net.requests() - requestsBefore) / n,
          n == 0 ? Double.NaN : (double) (net.pings() - pingsBefore) / n,
          pctlLong(latencyMs, 50), wall, b.buildSeconds, b.heapPerNode, note);
    }

    private double mean(int[] v) {
      if (n == 0) return Double.NaN;
      long sum = 0;
      for (int i = 0; i < n; i++) sum += v[i];
      return (double) sum / n;
    }

    private double pctl(int[] v, double p) {
      if (n == 0) return Double.NaN;
      int[] s = Arrays.copyOf(v, n);
      Arrays.sort(s);
      return s[rank(p, n)];
    }

    private double pctlLong(long[] v, double p) {
      if (n == 0) return Double.NaN;
      long[] s = Arrays.copyOf(v, n);
      Arrays.sort(s);
      return s[rank(p, n)];
    }
  }

  private static int rank(double p, int n) {
    return Math.max(0, Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1));
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
