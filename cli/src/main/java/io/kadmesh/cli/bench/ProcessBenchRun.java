package io.kadmesh.cli.bench;

import io.kadmesh.cli.bench.Workload.Op;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.core.RecordKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * {@code kadmesh bench --processes}: the plain put/get workload against N {@code kadmesh node}
 * processes, each its own JVM as users run it (in-memory store, loopback ports, a network of the
 * run's own), started and stopped by the bench: node 0 alone, each other joining through a random
 * earlier one. Operations go through every node's API port (as the one-JVM mode's do) or only
 * node 0's. The nodes are measured from outside only: latency, throughput, success and RSS; peer
 * RPCs and hops need the one-JVM mode, whose nodes the bench can observe.
 */
final class ProcessBenchRun {
  /** What to run. {@code allNodes}: spread the operations over every node's API port. */
  record Settings(int nodes, int ops, int valueSize, int concurrency, long seed, int warmup,
      int k, boolean allNodes, List<String> javaOptions, int getQuorum) {}

  /** What it measured; {@code rssBytes} is the nodes' VmRSS summed at the end. */
  record Result(Settings settings, double settleSeconds, long contacts, OperationStats put,
      OperationStats get, long rssBytes) {}

  private static final long OP_LIMIT_S = 30;
  /** How long a node process may take to listen: minutes on a machine loaded by other jobs. */
  private static final long LISTEN_LIMIT_S = 180;
  private static final long SETTLED_FOR_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Settings settings;

  ProcessBenchRun(Settings settings) {
    this.settings = settings;
  }

  Result run() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("kadmesh-bench-");
    List<NodeProcess> processes = new ArrayList<>();
    List<KadmeshClient> clients = new ArrayList<>();
    try {
      long started = System.nanoTime();
      start(dir, processes, clients);
      long contacts = awaitSettled(clients, 60 + settings.nodes());
      double settle = (System.nanoTime() - started) / 1e9;
      BenchNodes nodes = nodes(clients);
      Random random = new Random(settings.seed() + 1);
      Workload warm = Workload.of(RecordKind.PLAIN, nodes, random, settings.seed(), "warm",
          settings.warmup(), settings.valueSize(), null).readingQuorum(settings.getQuorum());
      Workload seq = Workload.of(RecordKind.PLAIN, nodes, random, settings.seed(), "seq",
          settings.ops(), settings.valueSize(), null).readingQuorum(settings.getQuorum());
      Workload load = Workload.of(RecordKind.PLAIN, nodes, random, settings.seed(), "load",
          settings.ops(), settings.valueSize(), null).readingQuorum(settings.getQuorum());
      Map<Op, OperationStats> stats = new EnumMap<>(Op.class);
      OperationStats discard = new OperationStats(Math.max(1, settings.warmup()));
      for (int i = 0; i < warm.size(); i++) {
        for (Op op : warm.ops()) sequential(warm, op, i, discard);
      }
      for (Op op : seq.ops()) {
        OperationStats s = new OperationStats(settings.ops());
        for (int i = 0; i < seq.size(); i++) sequential(seq, op, i, s);
        stats.put(op, s);
      }
      for (Op op : load.ops()) loaded(load, op, stats.get(op));
      long rss = 0;
      for (NodeProcess p : processes) rss += Math.max(0, p.status("VmRSS")) * 1024;
      return new Result(settings, settle, contacts, stats.get(Op.PUT), stats.get(Op.GET), rss);
    } finally {
      for (KadmeshClient c : clients) c.close();
      for (NodeProcess p : processes) p.close();
      deleteTree(dir);
    }
  }

  /** Node 0 alone, then each other through a random earlier one's peer address. */
  private void start(Path dir, List<NodeProcess> processes, List<KadmeshClient> clients)
      throws IOException {
    String network = "bench-" + UUID.randomUUID();
    Random random = new Random(settings.seed());
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < settings.nodes(); i++) {
      List<String> args = new ArrayList<>(List.of("--in-memory", "--network", network,
          "--k", Integer.toString(settings.k())));
      if (i > 0) args.addAll(List.of("--bootstrap", peers.get(random.nextInt(i))));
      NodeProcess p = NodeProcess.start(settings.javaOptions(),
          Files.createDirectories(dir.resolve("node-" + i)), false, args);
      processes.add(p);
      peers.add(p.peerAddress(LISTEN_LIMIT_S));
      clients.add(KadmeshClient.connect(p.apiAddress(LISTEN_LIMIT_S)));
    }
  }

  /** Every node's client, or node 0's for every index when operations go through one node. */
  private BenchNodes nodes(List<KadmeshClient> clients) {
    return new BenchNodes() {
      @Override
      public int size() {
        return clients.size();
      }

      @Override
      public KadmeshClient client(int i) {
        return clients.get(settings.allNodes() ? i : 0);
      }
    };
  }

  /**
   * Waits until every node reports itself joined and the contacts of all routing tables did not
   * change for a second; answers that count.
   */
  private static long awaitSettled(List<KadmeshClient> clients, long limitSeconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
    long last = -1;
    long since = System.nanoTime();
    while (System.nanoTime() < deadline) {
      long total = 0;
      boolean all = true;
      for (KadmeshClient c : clients) {
        try {
          int contacts = c.info().contacts();
          all &= contacts > 0;
          total += contacts;
        } catch (RuntimeException e) {
          all = false;
        }
      }
      long now = System.nanoTime();
      if (!all || total != last) {
        last = total;
        since = now;
      } else if (now - since >= SETTLED_FOR_NANOS) {
        return total;
      }
      // Polling processes that the bench cannot observe otherwise.
      Thread.sleep(100);
    }
    throw new IllegalStateException("the node processes did not settle within " + limitSeconds
        + " s");
  }

  private static void sequential(Workload w, Op op, int i, OperationStats stats)
      throws InterruptedException {
    long t0 = System.nanoTime();
    boolean ok = await(w.run(op, i, Runnable::run));
    stats.sequential.recordValue(Math.min(System.nanoTime() - t0, 60_000_000_000L));
    stats.outcome(ok);
  }

  private void loaded(Workload w, Op op, OperationStats stats) throws InterruptedException {
    long nanos = ClosedLoop.run(w.size(), settings.concurrency(),
        Duration.ofSeconds(OP_LIMIT_S * 10), i -> w.run(op, i, Runnable::run), stats, () -> {});
    stats.loadedPhase(w.size(), nanos, 0);
  }

  private static boolean await(CompletableFuture<Boolean> f) throws InterruptedException {
    try {
      return f.get(OP_LIMIT_S, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
