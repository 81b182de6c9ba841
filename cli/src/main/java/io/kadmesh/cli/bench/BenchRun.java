package io.kadmesh.cli.bench;

import io.kadmesh.cli.bench.Workload.Op;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.progress.Progress;
import io.kadmesh.core.progress.ProgressReporter;
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
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One run of {@code kadmesh bench}: starts the mesh (a {@link GrpcMesh} over Netty on loopback:
 * production nodes, in-memory stores, a client each on its API port, each node joining through a
 * random earlier one), lets it settle, then for each kind of record asked for, and for each of its
 * operations ({@link Workload}), runs M operations one at a time (latency, RPCs, hops and checks
 * per operation) and M more with C in flight (throughput), and measures the floor and the memory.
 * With signed or content records it also times their proofs alone ({@link CryptoCosts}) before the
 * mesh starts, and counts Ed25519 verifications across the mesh ({@link Ed25519Counter}). Every
 * choice of node, name and value comes from the seed, so two runs do the same work, and every
 * kind draws the same values and nodes. With {@code --mesh} the service mesh runs last, on the
 * same nodes ({@link MeshWorkload}, {@link WatchLatency}).
 */
final class BenchRun {
  /** What to run. */
  record Settings(int nodes, int ops, int valueSize, int concurrency, long seed, int warmup,
      List<RecordKind> records, int cryptoCalls, MeshSettings mesh, int k, boolean metrics,
      int getQuorum) {}

  /**
   * What {@code --mesh} runs: {@code services} services of {@code endpoints} endpoints each, then
   * {@code watchers} watchers through {@code changes} rounds of changes ({@link WatchLatency}).
   */
  record MeshSettings(int services, int endpoints, int watchers, int changes) {}

  /**
   * What {@code --mesh} measured: how many endpoints were published and how long announcing them
   * all took, the resolves, and the watch latencies.
   */
  record MeshResult(MeshSettings settings, int published, double announceSeconds,
      OperationStats resolve, WatchLatency.Figures watch) {}

  /** What the workload of one kind of record measured, by operation in the order they ran. */
  record KindResult(RecordKind kind, Map<Op, OperationStats> ops) {}

  /** What a run measured. {@code crypto} is null when only plain records ran. */
  record Result(Settings settings, double settleSeconds, long contacts, List<KindResult> kinds,
      OperationStats floor, OperationStats floorPing, Map<String, Long> rpcsByMethod,
      long heapUsedBytes, long rssBytes, CryptoCosts.Figures crypto, MeshResult mesh) {
    /** The first kind's puts: the plain records' in a default run. */
    OperationStats put() {
      return kinds.get(0).ops().get(Op.PUT);
    }

    /** The first kind's gets. */
    OperationStats get() {
      return kinds.get(0).ops().get(Op.GET);
    }
  }

  private static final Duration OP_LIMIT = Duration.ofSeconds(30);
  /** Routing tables unchanged for this long: settled. */
  private static final Duration SETTLED_FOR = Duration.ofSeconds(1);

  private final Settings settings;
  private final LookupTracer tracer = new LookupTracer();
  private final PeerCallCounter counter = new PeerCallCounter(tracer);
  /** Installed for a run with signed or content records, else null. */
  private Ed25519Counter signatures;
  /** The client threads of the loaded phases of signed and content records, else null. */
  private ExecutorService clientThreads;
  private ProgressReporter reporter = ProgressReporter.NONE;
  /** The kind being measured, which every operation done steps. */
  private Progress progress = Progress.NONE;

  BenchRun(Settings settings) {
    this.settings = settings;
  }

  /** Where the run reports how far it has come (by default nowhere). */
  BenchRun progress(ProgressReporter to) {
    this.reporter = to;
    return this;
  }

  Result run() throws InterruptedException {
    boolean proofs = settings.records().stream().anyMatch(k -> k != RecordKind.PLAIN);
    KeyPair owner = proofs ? Workload.owner(settings.seed()) : null;
    // Timed before the mesh starts, so that no node competes with them.
    CryptoCosts.Figures crypto = proofs ? CryptoCosts.measure(settings.valueSize(), owner,
        settings.seed(), settings.cryptoCalls()) : null;
    long started = System.nanoTime();
    if (proofs) signatures = Ed25519Counter.install();
    if (proofs || settings.mesh() != null) {
      clientThreads = Executors.newFixedThreadPool(settings.concurrency(), daemonThreads());
    }
    // A network of its own (bench-<uuid>): a node of a real mesh on this machine never merges with it.
    try (GrpcMesh mesh = GrpcMesh.builder().transport(GrpcTransport.NETTY).joinVia(JoinVia.RANDOM)
        .networkPrefix("bench").size(settings.nodes())
        .config(NodeConfig.defaults().toBuilder().k(settings.k()).build()).seed(settings.seed())
        .peerInterceptor(counter::interceptor).metrics(settings.metrics()).start()) {
      long contacts = awaitSettled(mesh, Duration.ofSeconds(60 + settings.nodes()));
      double settle = (System.nanoTime() - started) / 1e9;
      int m = settings.ops();
      OperationStats floor = new OperationStats(m);
      OperationStats floorPing = new OperationStats(m);
      List<KindResult> kinds = new ArrayList<>();
      for (RecordKind kind : settings.records()) {
        kinds.add(runKind(mesh, kind, owner, kinds.isEmpty() ? floor : null, floorPing));
      }
      MeshResult meshResult = settings.mesh() == null ? null : runMesh(mesh, settings.mesh());

      long heap = heapUsedAfterGc();
      return new Result(settings, settle, contacts, kinds, floor, floorPing,
          counter.byMethod(), heap, rssBytes(), crypto, meshResult);
    } finally {
      if (clientThreads != null) clientThreads.shutdownNow();
      if (signatures != null) signatures.close();
    }
  }

  /**
   * The workload of one kind: warm-up, each operation one at a time, the floor after the first
   * kind's (when {@code floor} is not null), then each operation under load.
   */
  private KindResult runKind(GrpcMesh mesh, RecordKind kind, KeyPair owner, OperationStats floor,
      OperationStats floorPing) throws InterruptedException {
    int m = settings.ops();
    // Each kind draws the same values and nodes.
    Random random = new Random(settings.seed() + 1);
    BenchNodes nodes = BenchNodes.of(mesh);
    Workload warm = Workload.of(kind, nodes, random, settings.seed(), "warm", settings.warmup(),
        settings.valueSize(), owner).readingQuorum(settings.getQuorum());
    Workload seq = Workload.of(kind, nodes, random, settings.seed(), "seq", m,
        settings.valueSize(), owner).readingQuorum(settings.getQuorum());
    Workload load = Workload.of(kind, nodes, random, settings.seed(), "load", m,
        settings.valueSize(), owner).readingQuorum(settings.getQuorum());

    Map<Op, OperationStats> stats = new EnumMap<>(Op.class);
    for (Op op : seq.ops()) stats.put(op, new OperationStats(m));
    progress = reporter.start("bench " + kind.name().toLowerCase(Locale.ROOT),
        (long) seq.ops().size() * (warm.size() + 2L * m), "ops");
    OperationStats discard = new OperationStats(Math.max(1, settings.warmup()));
    for (int i = 0; i < warm.size(); i++) {
      for (Op op : warm.ops()) sequential(mesh, warm, i, op, discard);
    }
    for (Op op : seq.ops()) {
      OperationStats.Checks before = checks();
      for (int i = 0; i < m; i++) sequential(mesh, seq, i, op, stats.get(op));
      stats.get(op).sequentialPhase(checks().minus(before));
    }
    if (floor != null) measureFloor(mesh, floorKey(mesh, seq), floor, floorPing);
    for (Op op : load.ops()) loaded(mesh, load, op, stats.get(op));
    progress.close();
    progress = Progress.NONE;
    return new KindResult(kind, stats);
  }

  /**
   * The service mesh: every endpoint announced, then resolves (warm-up, one at a time, then with C
   * in flight), then the watch latencies. After the records' phases, so that the floor and the get
   * figures it is compared with come from the same mesh.
   */
  private MeshResult runMesh(GrpcMesh mesh, MeshSettings m) throws InterruptedException {
    Random random = new Random(settings.seed() + 3);
    MeshWorkload services = new MeshWorkload(mesh, random, settings.seed(), m.services(),
        m.endpoints());
    long t0 = System.nanoTime();
    int published = services.announceAll();
    double announceSeconds = (System.nanoTime() - t0) / 1e9;
    MeshWorkload.Resolves warm = services.resolves(random, settings.warmup());
    MeshWorkload.Resolves seq = services.resolves(random, settings.ops());
    MeshWorkload.Resolves load = services.resolves(random, settings.ops());
    OperationStats discard = new OperationStats(Math.max(1, settings.warmup()));
    for (int i = 0; i < warm.size(); i++) {
      int s = warm.service()[i];
      int via = warm.node()[i];
      sequential(mesh, via, services.ids[s], () -> services.resolve(s, via, Runnable::run),
          discard);
    }
    OperationStats resolve = new OperationStats(settings.ops());
    OperationStats.Checks before = checks();
    for (int i = 0; i < seq.size(); i++) {
      int s = seq.service()[i];
      int via = seq.node()[i];
      sequential(mesh, via, services.ids[s], () -> services.resolve(s, via, Runnable::run),
          resolve);
    }
    resolve.sequentialPhase(checks().minus(before));
    loaded(load.size(), i -> services.resolve(load.service()[i], load.node()[i], clientThreads),
        resolve);
    WatchLatency.Figures watch = new WatchLatency(mesh, services, random, settings.seed(),
        settings.valueSize()).run(m.watchers(), m.changes());
    return new MeshResult(m, published, announceSeconds, resolve, watch);
  }

  private void sequential(GrpcMesh mesh, Workload w, int i, Op op, OperationStats stats)
      throws InterruptedException {
    sequential(mesh, w.node(op, i), w.ids[i], () -> w.run(op, i, Runnable::run), stats);
  }

  /** One operation through node {@code node}, whose lookups for {@code target} are traced. */
  private void sequential(GrpcMesh mesh, int node, NodeId target,
      Supplier<CompletableFuture<Boolean>> operation, OperationStats stats)
      throws InterruptedException {
    KademliaNode via = mesh.node(node);
    String sender = via.self().address();
    tracer.begin(sender, target, via.routingTable().closest(target, mesh.config().k()));
    long rpcsBefore = counter.total();
    OperationStats.Checks checksBefore = checks();
    long t0 = System.nanoTime();
    boolean ok = await(operation.get());
    long nanos = System.nanoTime() - t0;
    progress.step();
    stats.recordSequential(nanos, ok, tracer.end(sender, target), counter.total() - rpcsBefore,
        checks().minus(checksBefore));
  }

  private OperationStats.Checks checks() {
    return new OperationStats.Checks(signatures == null ? 0 : signatures.verifications(),
        counter.count("Store"), counter.recordAnswers());
  }

  /** C operations in flight: each one's completion starts the next. */
  private void loaded(GrpcMesh mesh, Workload w, Op op, OperationStats stats)
      throws InterruptedException {
    loaded(w.size(), i -> w.run(op, i, clientThreads), stats);
  }

  /** Operations 0 to n - 1 of {@code operation}, C in flight. */
  private void loaded(int n, IntFunction<CompletableFuture<Boolean>> operation,
      OperationStats stats) throws InterruptedException {
    long rpcsBefore = counter.total();
    long cpuBefore = ProcessCpu.nanos();
    long nanos = ClosedLoop.run(n, settings.concurrency(), OP_LIMIT.multipliedBy(10), operation,
        stats, progress::step);
    long cpuAfter = ProcessCpu.nanos();
    stats.loadedPhase(n, nanos, counter.total() - rpcsBefore);
    // The mesh runs in this JVM: its CPU is the nodes' and the clients' together.
    if (cpuBefore >= 0 && cpuAfter >= 0) stats.loadedCpu(cpuAfter - cpuBefore);
  }

  /**
   * The key of a plain record for the floor: the first plain put's, or, when the first kind is
   * another, one plain record put for it.
   */
  private NodeId floorKey(GrpcMesh mesh, Workload first) throws InterruptedException {
    if (first.kind == RecordKind.PLAIN) return first.ids[0];
    String key = "bench-" + settings.seed() + "-floor";
    await(mesh.client(0).putAsync(key, first.values[0]).thenApply(r -> true));
    return NodeId.ofKey(key);
  }

  /**
   * The floor: one bare peer round trip between two of the nodes, through the production
   * {@link GrpcPeerTransport} and channel, M times one at a time. FIND_VALUE of a key the callee
   * holds carries the same payload as a get's answer (the S-byte record); PING carries headers only.
   */
  private void measureFloor(GrpcMesh mesh, NodeId key, OperationStats floor,
      OperationStats ping) throws InterruptedException {
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

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "bench-client-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
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
