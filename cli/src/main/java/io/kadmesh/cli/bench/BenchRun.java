package io.kadmesh.cli.bench;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.server.grpc.GrpcPeerTransport;
import io.kadmesh.server.grpc.NettyEndpoints;
import io.kadmesh.testing.GrpcMesh;
import io.kadmesh.testing.GrpcTransport;
import io.kadmesh.testing.JoinVia;
import io.kadmesh.testing.Mesh;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run of {@code kadmesh bench}: starts the mesh (a {@link GrpcMesh} over Netty on loopback:
 * production nodes, in-memory stores, a client each on its API port, each node joining through a
 * random earlier one), lets it settle, then for puts and for gets
 * runs M operations one at a time (latency, RPCs and hops per operation) and M more with C in
 * flight (throughput), and measures the floor and the memory. Every choice of node, key and value
 * comes from the seed, so two runs do the same work.
 */
final class BenchRun {
  /** What to run. */
  record Settings(int nodes, int ops, int valueSize, int concurrency, long seed, int warmup) {}

  /** What a run measured. */
  record Result(Settings settings, double settleSeconds, long contacts, OperationStats put,
      OperationStats get, OperationStats floor, OperationStats floorPing,
      java.util.Map<String, Long> rpcsByMethod, long heapUsedBytes, long rssBytes) {}

  private static final Duration OP_LIMIT = Duration.ofSeconds(30);
  /** Routing tables unchanged for this long: settled. */
  private static final Duration SETTLED_FOR = Duration.ofSeconds(1);

  private final Settings settings;
  private final LookupTracer tracer = new LookupTracer();
  private final PeerCallCounter counter = new PeerCallCounter(tracer);

  BenchRun(Settings settings) {
    this.settings = settings;
  }

  Result run() throws InterruptedException {
    long started = System.nanoTime();
    // A network of its own (bench-<uuid>): a node of a real mesh on this machine never merges with it.
    try (GrpcMesh mesh = GrpcMesh.builder().transport(GrpcTransport.NETTY).joinVia(JoinVia.RANDOM)
        .networkPrefix("bench").size(settings.nodes()).seed(settings.seed())
        .peerInterceptor(counter::interceptor).start()) {
      long contacts = awaitSettled(mesh, Duration.ofSeconds(60 + settings.nodes()));
      Random random = new Random(settings.seed() + 1);
      double settle = (System.nanoTime() - started) / 1e9;
      int m = settings.ops();
      Workload warm = new Workload(mesh, random, "warm", settings.warmup());
      Workload seq = new Workload(mesh, random, "seq", m);
      Workload load = new Workload(mesh, random, "load", m);

      OperationStats put = new OperationStats(m);
      OperationStats get = new OperationStats(m);
      OperationStats discard = new OperationStats(Math.max(1, settings.warmup()));
      for (int i = 0; i < warm.size(); i++) {
        sequential(mesh, warm, i, true, discard);
        sequential(mesh, warm, i, false, discard);
      }
      for (int i = 0; i < m; i++) sequential(mesh, seq, i, true, put);
      for (int i = 0; i < m; i++) sequential(mesh, seq, i, false, get);

      OperationStats floor = new OperationStats(m);
      OperationStats floorPing = new OperationStats(m);
      measureFloor(mesh, seq, floor, floorPing);

      loaded(mesh, load, true, put);
      loaded(mesh, load, false, get);

      long heap = heapUsedAfterGc();
      return new Result(settings, settle, contacts, put, get, floor, floorPing,
          counter.byMethod(), heap, rssBytes());
    }
  }

  /** The keys, values and nodes of one phase, drawn from the seed. */
  private final class Workload {
    final String[] keys;
    final NodeId[] ids;
    final byte[][] values;
    final int[] putNode;
    final int[] getNode;

    Workload(GrpcMesh mesh, Random random, String phase, int n) {
      keys = new String[n];
      ids = new NodeId[n];
      values = new byte[n][];
      putNode = new int[n];
      getNode = new int[n];
      int size = mesh.size();
      for (int i = 0; i < n; i++) {
        keys[i] = "bench-" + settings.seed() + "-" + phase + "-" + i;
        ids[i] = NodeId.ofKey(keys[i]);
        values[i] = new byte[settings.valueSize()];
        random.nextBytes(values[i]);
        putNode[i] = random.nextInt(size);
        // Read through another node than the writer, when there is one.
        int g = size == 1 ? 0 : random.nextInt(size - 1);
        getNode[i] = size == 1 || g < putNode[i] ? g : g + 1;
      }
    }

    int size() {
      return keys.length;
    }

    CompletableFuture<Boolean> op(GrpcMesh mesh, int i, boolean put) {
      if (put) {
        return mesh.client(putNode[i]).putAsync(keys[i], values[i]).thenApply(r -> r.replicas() >= 1);
      }
      return mesh.client(getNode[i]).getAsync(keys[i])
          .thenApply(e -> e.isPresent() && Arrays.equals(e.get().value(), values[i]));
    }
  }

  private void sequential(GrpcMesh mesh, Workload w, int i, boolean put, OperationStats stats)
      throws InterruptedException {
    KademliaNode via = mesh.node(put ? w.putNode[i] : w.getNode[i]);
    String sender = via.self().address();
    tracer.begin(sender, w.ids[i], via.routingTable().closest(w.ids[i], mesh.config().k()));
    long rpcsBefore = counter.total();
    long t0 = System.nanoTime();
    boolean ok = await(w.op(mesh, i, put));
    long nanos = System.nanoTime() - t0;
    stats.recordSequential(nanos, ok, tracer.end(sender, w.ids[i]), counter.total() - rpcsBefore);
  }

  /** C operations in flight: each one's completion starts the next. */
  private void loaded(GrpcMesh mesh, Workload w, boolean put, OperationStats stats)
      throws InterruptedException {
    int n = w.size();
    AtomicInteger next = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(n);
    long rpcsBefore = counter.total();
    long t0 = System.nanoTime();
    Runnable launch = new Runnable() {
      @Override
      public void run() {
        int i = next.getAndIncrement();
        if (i >= n) return;
        long start = System.nanoTime();
        w.op(mesh, i, put).whenComplete((ok, e) -> {
          stats.recordLoaded(System.nanoTime() - start, e == null && Boolean.TRUE.equals(ok));
          done.countDown();
          run();
        });
      }
    };
    for (int c = 0; c < Math.min(settings.concurrency(), n); c++) launch.run();
    if (!done.await(OP_LIMIT.toSeconds() * 10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the loaded phase did not finish");
    }
    stats.loadedPhase(n, System.nanoTime() - t0, counter.total() - rpcsBefore);
  }

  /**
   * The floor: one bare peer round trip between two of the nodes, through the production
   * {@link GrpcPeerTransport} and channel, M times one at a time. FIND_VALUE of a key the callee
   * holds carries the same payload as a get's answer (the S-byte record); PING carries headers only.
   */
  private void measureFloor(GrpcMesh mesh, Workload w, OperationStats floor,
      OperationStats ping) throws InterruptedException {
    NodeId key = w.ids[0];
    int holder = -1;
    for (int i = 0; i < mesh.size() && holder < 0; i++) {
      if (mesh.node(i).store().get(key, Instant.now()).isPresent()) holder = i;
    }
    if (holder < 0) return;
    int caller = holder == 0 ? Math.min(1, mesh.size() - 1) : 0;
    Contact callee = mesh.node(holder).self();
    Contact self = mesh.node(caller).self();
    NodeConfig config = mesh.config();
    try (GrpcPeerTransport t = new GrpcPeerTransport(self, config.network(), config.rpcTimeout(),
        NettyEndpoints.peerChannels(true, config))) {
      int warm = Math.max(settings.warmup(), 100);
      for (int i = 0; i < warm; i++) {
        await(t.findValue(callee, key, RecordKind.PLAIN).thenApply(v -> v.record() != null));
        await(t.ping(callee.address()).thenApply(c -> true));
      }
      for (int i = 0; i < settings.ops(); i++) {
        long t0 = System.nanoTime();
        boolean ok = await(t.findValue(callee, key, RecordKind.PLAIN).thenApply(v -> v.record() != null));
        floor.recordSequential(System.nanoTime() - t0, ok, new LookupTracer.Cost(1, 1, 1), 1);
      }
      for (int i = 0; i < settings.ops(); i++) {
        long t0 = System.nanoTime();
        boolean ok = await(t.ping(callee.address()).thenApply(c -> c.id().equals(callee.id())));
        ping.recordSequential(System.nanoTime() - t0, ok, new LookupTracer.Cost(1, 1, -1), 1);
      }
    }
  }

  /**
   * Waits until every node joined and no routing table changed for {@link #SETTLED_FOR}; answers
   * the contacts held in all, or fails after {@code limit}.
   */
  private static long awaitSettled(Mesh mesh, Duration limit) {
    long[] last = {-1, System.nanoTime()}; // contacts in all tables, and when that count last changed
    mesh.awaitUntil(() -> {
      long total = 0;
      boolean allJoined = true;
      for (int i = 0; i < mesh.size(); i++) {
        allJoined &= mesh.node(i).isJoined();
        total += mesh.node(i).contacts().size();
      }
      long now = System.nanoTime();
      if (!allJoined || total != last[0]) {
        last[0] = total;
        last[1] = now;
        return false;
      }
      return now - last[1] >= SETTLED_FOR.toNanos();
    }, limit);
    return last[0];
  }

  private static boolean await(CompletableFuture<Boolean> f) throws InterruptedException {
    try {
      return f.get(OP_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  private static long heapUsedAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** VmRSS from /proc/self/status, or -1 where there is none. */
  static long rssBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: reported as unknown
    }
    return -1;
  }
}
