package io.kadmesh.cli.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.kadmesh.cli.DurationConverter;
import io.kadmesh.cli.TerminalProgress;
import io.kadmesh.core.RecordKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `kadmesh bench`: N real nodes on loopback in this JVM, a seeded put/get workload through their
 * API ports, and the figures: latency percentiles (one operation at a time) as multiples of a bare
 * peer round trip measured in the same run, throughput with C in flight, peer RPCs and hops per
 * operation, memory. With {@code --records signed,content} the same workload runs with signed and
 * content-addressed records too, and the figures add what their proofs cost: Ed25519 and SHA-256
 * alone, and the verifications one operation causes across the mesh. With {@code --mesh} it then
 * measures the service mesh on the same nodes: resolves beside the gets, and the time from a
 * change to a watcher's event ({@link MeshReport}).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Starts N kadmesh nodes on 127.0.0.1 in this JVM (gRPC over Netty, in-memory stores), waits",
        "until the mesh settled, then runs M puts and M gets of S-byte values through random nodes'",
        "API ports: one at a time for latency, then with C in flight for throughput. Seeded.",
        "--records plain,signed,content runs the same with signed and content-addressed records,",
        "and adds what their proofs cost: Ed25519 and SHA-256 alone, verifications per operation.",
        "--mesh then announces services, times resolves, and times each change (announce,",
        "withdraw, put) to a watcher's event on another node.",
        "--processes runs each node as its own `kadmesh node` JVM instead; --sidecar measures",
        "one node process instead: exec to SERVING, CPU time, idle RSS."})
public final class BenchCommand extends MeasurementCommand {
  @Option(names = "--nodes", description = "Nodes in the mesh. Default: ${DEFAULT-VALUE}.")
  int nodes = 20;

  @Option(names = "--ops", description = "Puts, and as many gets, per phase. Default: ${DEFAULT-VALUE}.")
  int ops = 1000;

  @Option(names = "--value-size", paramLabel = "BYTES", description = "Value size. Default: ${DEFAULT-VALUE}.")
  int valueSize = 256;

  @Option(names = "--concurrency", description = "Operations in flight in the throughput phase. Default: ${DEFAULT-VALUE}.")
  int concurrency = 32;

  @Option(names = "--warmup", description = "Unmeasured puts and gets first, to warm the JIT. Default: ${DEFAULT-VALUE}.")
  int warmup = 500;

  @Option(names = "--records", split = ",", paramLabel = "KIND",
      description = "Kinds of record, comma-separated, run one after another on the same mesh with "
          + "the same values and nodes: plain (Put, Get), signed (Ed25519-signed records of one "
          + "owner: put, compare-and-put, get) and content (content-addressed: putContent, "
          + "getContent). Default: plain.")
  List<String> records;

  @Option(names = "--crypto-calls", paramLabel = "N",
      description = "With signed or content records: calls timed of each of Ed25519 sign, verify "
          + "and SHA-256 alone, after half as many unmeasured. Default: ${DEFAULT-VALUE}.")
  int cryptoCalls = 5000;

  @Option(names = "--mesh",
      description = "Then the service mesh, on the same mesh: S services of E endpoints announced "
          + "through random nodes; --ops resolves one at a time and as many with C in flight; W "
          + "watchers, then rounds of changes (announce, withdraw, put) timed to each watcher's "
          + "event.")
  boolean mesh;

  @Option(names = "--services", paramLabel = "S",
      description = "With --mesh: services announced. Default: ${DEFAULT-VALUE}.")
  int services = 20;

  @Option(names = "--endpoints", paramLabel = "E",
      description = "With --mesh: endpoints of each service, each announced through a random "
          + "node. Default: ${DEFAULT-VALUE}.")
  int endpoints = 3;

  @Option(names = "--watchers", paramLabel = "W",
      description = "With --mesh: watchers on random nodes, half (rounded up) on a service each, "
          + "half on a key each. Default: ${DEFAULT-VALUE}.")
  int watchers = 10;

  @Option(names = "--changes", paramLabel = "ROUNDS",
      description = "With --mesh: measured rounds of changes, after one unmeasured; each round "
          + "announces and withdraws an endpoint of every watched service and puts every watched "
          + "key, one change at a time. Default: ${DEFAULT-VALUE}.")
  int changes = 20;

  @Option(names = "--k", description = "Bucket size and replication factor of the bench's nodes. "
      + "Default: ${DEFAULT-VALUE}.")
  int k = 20;

  @Option(names = "--get-quorum", paramLabel = "N",
      description = "How many replicas' answers each plain get waits for (GetRequest.quorum): 0 "
          + "for the node's Get quorum, 1 to --k. Default: ${DEFAULT-VALUE}.")
  int getQuorum = 0;

  @Option(names = "--metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Whether the bench's nodes record metrics, as every node does by default; "
          + "--no-metrics runs them without (to measure what metrics cost). Default: on.")
  boolean metrics = true;

  @Option(names = "--processes",
      description = "Each node its own `kadmesh node` JVM on 127.0.0.1 (in-memory store), started "
          + "and stopped by the bench, instead of all nodes in this JVM; plain records only, "
          + "measured from outside (latency, ops/s, success, RSS). --java-options sets their JVM "
          + "options.")
  boolean processes;

  @Option(names = "--through", paramLabel = "all|one",
      description = "With --processes: operations through random nodes' API ports (all) or only "
          + "the first node's (one). Default: ${DEFAULT-VALUE}.")
  String through = "all";

  @Option(names = "--sidecar",
      description = "Instead of the workload: how light one `kadmesh node` is. Starts the real "
          + "process with its defaults --runs times per set of --java-options, times exec to "
          + "SERVING (grpc.health.v1 on its API port), reads its RSS after --idle, stops it.")
  boolean sidecar;

  @Option(names = "--runs", description = "With --sidecar: starts per set of JVM options. "
      + "Default: ${DEFAULT-VALUE}.")
  int runs = 5;

  @Option(names = "--idle", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "With --sidecar: idle time before the RSS is read. Default: ${DEFAULT-VALUE}.")
  Duration idle = Duration.ofSeconds(5);

  @Option(names = "--java-options", paramLabel = "OPTIONS",
      description = "With --sidecar: one set of JVM options for the node, space-separated; "
          + "with --processes: the nodes' JVM options (one set). "
          + "repeat to compare sets in one run (\"none\" for the JVM's defaults); with --sidecar, "
          + "NAME=VALUE words before the options set the node's environment. Default: none.")
  List<String> javaOptions;

  @Override
  public Integer call() throws Exception {
    if (!metrics && (sidecar || processes)) {
      throw usage("--no-metrics runs with the nodes in this JVM only, not with --sidecar or --processes");
    }
    if (sidecar) return sidecar();
    if (nodes < 2 || nodes > 1000) throw usage("--nodes must be in [2, 1000]: " + nodes);
    if (ops < 1) throw usage("--ops must be positive: " + ops);
    if (valueSize < 1 || valueSize > 65536) throw usage("--value-size must be in [1, 65536]: " + valueSize);
    if (concurrency < 1) throw usage("--concurrency must be positive: " + concurrency);
    if (warmup < 0) throw usage("--warmup must not be negative: " + warmup);
    if (cryptoCalls < 1) throw usage("--crypto-calls must be positive: " + cryptoCalls);
    if (k < 1 || k > 256) throw usage("--k must be in [1, 256]: " + k);
    if (getQuorum < 0 || getQuorum > k) {
      throw usage("--get-quorum must be in [0, --k = " + k + "]: " + getQuorum);
    }
    if (processes) return processes();
    List<RecordKind> kinds = kinds(records == null ? List.of("plain") : records);
    BenchRun.Result r = new BenchRun(new BenchRun.Settings(nodes, ops, valueSize, concurrency,
        seed, warmup, kinds, cryptoCalls, mesh ? meshSettings() : null, k, metrics,
        getQuorum))
        .progress(TerminalProgress.forStderr()).run();
    if (json) {
      printJson(json(r));
    } else {
      out().println(text(r));
      out().flush();
    }
    return 0;
  }

  private int processes() throws Exception {
    if (records != null && !records.equals(List.of("plain"))) {
      throw usage("--processes runs plain records only: --records " + String.join(",", records));
    }
    if (mesh) throw usage("--processes does not run --mesh");
    if (!through.equals("all") && !through.equals("one")) {
      throw usage("--through must be all or one: " + through);
    }
    List<List<String>> sets = javaOptionSets();
    if (sets.size() > 1) throw usage("--processes takes one --java-options: " + sets.size());
    ProcessBenchRun.Result r = new ProcessBenchRun(new ProcessBenchRun.Settings(nodes, ops,
        valueSize, concurrency, seed, warmup, k, through.equals("all"), sets.get(0),
        getQuorum)).run();
    if (json) {
      printJson(ProcessReport.json(r));
    } else {
      out().println(ProcessReport.text(r));
      out().flush();
    }
    return 0;
  }

  /** Each --java-options as a list of options; one empty set when none is given. */
  private List<List<String>> javaOptionSets() {
    List<List<String>> sets = new ArrayList<>();
    for (String set : javaOptions == null ? List.of("none") : javaOptions) {
      String trimmed = set.strip();
      sets.add(trimmed.isEmpty() || trimmed.equals("none") ? List.of()
          : Arrays.asList(trimmed.split("\\s+")));
    }
    return sets;
  }

  private int sidecar() throws Exception {
    if (runs < 1 || runs > 1000) throw usage("--runs must be in [1, 1000]: " + runs);
    if (idle.isNegative() || idle.compareTo(Duration.ofMinutes(10)) > 0) {
      throw usage("--idle must be in [0, 10m]: " + idle);
    }
    SidecarRun.Settings s = new SidecarRun.Settings(javaOptionSets(), runs, idle);
    List<SidecarRun.SetResult> results = new SidecarRun(s).run();
    if (json) {
      printJson(SidecarReport.json(s, results));
    } else {
      out().print(SidecarReport.text(s, results));
      out().flush();
    }
    return 0;
  }

  private BenchRun.MeshSettings meshSettings() {
    if (services < 1 || services > 1000) {
      throw usage("--services must be in [1, 1000]: " + services);
    }
    // A replica keeps at most 16 entries of one announcer for one service
    // (--max-entries-per-announcer): up to 8 endpoints and up to 8 changes through one node.
    if (endpoints < 1 || endpoints > 8) throw usage("--endpoints must be in [1, 8]: " + endpoints);
    if (watchers < 1) throw usage("--watchers must be positive: " + watchers);
    if ((watchers + 1) / 2 > services) {
      throw usage("--watchers " + watchers + " needs " + (watchers + 1) / 2
          + " services to watch, one each: --services is " + services);
    }
    // Each round adds an entry to each watched service through the next node in turn (and the
    // unmeasured round one more).
    if (changes < 1 || changes > 7 * (nodes - 1)) {
      throw usage("--changes must be in [1, 7 x (nodes - 1)]: " + changes);
    }
    return new BenchRun.MeshSettings(services, endpoints, watchers, changes);
  }

  private List<RecordKind> kinds(List<String> names) {
    Set<RecordKind> kinds = new LinkedHashSet<>();
    for (String name : names) {
      RecordKind kind = switch (name.strip()) {
        case "plain" -> RecordKind.PLAIN;
        case "signed" -> RecordKind.SIGNED;
        case "content" -> RecordKind.CONTENT;
        default -> throw usage("--records must each be plain, signed or content: " + name);
      };
      if (!kinds.add(kind)) throw usage("--records names " + name + " twice");
    }
    return List.copyOf(kinds);
  }

  /** A run of plain records alone, whose output is the one bench has always printed. */
  private static boolean plainOnly(BenchRun.Settings s) {
    return s.records().equals(List.of(RecordKind.PLAIN));
  }

  static JsonObject json(BenchRun.Result r) {
    BenchRun.Settings s = r.settings();
    JsonObject o = new JsonObject();
    o.addProperty("nodes", s.nodes());
    o.addProperty("k", s.k());
    o.addProperty("ops", s.ops());
    o.addProperty("value_size", s.valueSize());
    o.addProperty("concurrency", s.concurrency());
    o.addProperty("seed", s.seed());
    o.addProperty("warmup", s.warmup());
    o.addProperty("metrics", s.metrics());
    o.addProperty("get_quorum", s.getQuorum());
    o.addProperty("settle_s", round(r.settleSeconds()));
    o.addProperty("contacts", r.contacts());
    double floorP50 = OperationStats.ms(r.floor().sequential, 50);
    o.add("floor", floorJson(r.floor(), "one peer FindValue round trip between two nodes, "
        + "callee holds the key: " + s.valueSize() + "-byte record in the answer"));
    o.add("floor_ping", floorJson(r.floorPing(), "one peer Ping round trip between two nodes"));
    if (plainOnly(s)) {
      o.add("put", opJson(r.put(), floorP50));
      o.add("get", opJson(r.get(), floorP50));
    } else {
      JsonArray kinds = new JsonArray();
      for (BenchRun.KindResult k : r.kinds()) {
        kinds.add(RecordsReport.kindJson(k, floorP50, s.concurrency()));
      }
      o.add("records", kinds);
      o.add("crypto", RecordsReport.cryptoJson(r.crypto()));
    }
    if (r.mesh() != null) o.add("mesh", MeshReport.json(r));
    JsonObject byMethod = new JsonObject();
    r.rpcsByMethod().forEach(byMethod::addProperty);
    o.add("peer_rpcs_by_method", byMethod);
    JsonObject mem = new JsonObject();
    mem.addProperty("heap_used_mib", round(r.heapUsedBytes() / 1048576.0));
    mem.addProperty("heap_per_node_kib", round(r.heapUsedBytes() / 1024.0 / s.nodes()));
    mem.addProperty("rss_mib", round(r.rssBytes() / 1048576.0));
    o.add("memory", mem);
    return o;
  }

  private static JsonObject floorJson(OperationStats f, String what) {
    JsonObject o = new JsonObject();
    o.addProperty("what", what);
    o.addProperty("p50_ms", round(OperationStats.ms(f.sequential, 50)));
    o.addProperty("p99_ms", round(OperationStats.ms(f.sequential, 99)));
    o.addProperty("max_ms", round(OperationStats.maxMs(f.sequential)));
    o.addProperty("success_rate", f.successRate());
    return o;
  }

  static JsonObject opJson(OperationStats s, double floorP50) {
    JsonObject o = new JsonObject();
    Histogram h = s.sequential;
    for (double p : new double[] {50, 95, 99}) {
      double v = OperationStats.ms(h, p);
      o.addProperty("p" + (int) p + "_ms", round(v));
      o.addProperty("p" + (int) p + "_x_floor", round(v / floorP50));
    }
    o.addProperty("max_ms", round(OperationStats.maxMs(h)));
    o.addProperty("ops_per_s", round(s.opsPerSecond()));
    o.addProperty("loaded_p50_ms", round(OperationStats.ms(s.loaded, 50)));
    o.addProperty("loaded_p99_ms", round(OperationStats.ms(s.loaded, 99)));
    o.addProperty("success_rate", s.successRate());
    o.addProperty("failures", s.failures());
    o.addProperty("rpcs_per_op", round(s.rpcsPerOp()));
    o.addProperty("rpcs_per_op_p50", s.rpcsPerOpP50());
    o.addProperty("rpcs_per_op_loaded", round(s.rpcsPerOpLoaded()));
    o.addProperty("cpu_ms_per_op_loaded", round(s.cpuMsPerOpLoaded()));
    o.addProperty("hops_p50", s.hopsP50());
    o.addProperty("hops_p95", s.hopsP95());
    o.addProperty("hops_mean", round(s.hopsMean()));
    return o;
  }

  static String text(BenchRun.Result r) {
    BenchRun.Settings s = r.settings();
    StringBuilder b = new StringBuilder();
    b.append(f("kadmesh bench: %d nodes on 127.0.0.1 in one JVM (gRPC over Netty, in-memory stores), "
        + "seed %d%s%n", s.nodes(), s.seed(), s.metrics() ? "" : ", metrics off"));
    if (plainOnly(s)) {
      b.append(f("  %d puts then %d gets of %d-byte values through random nodes' API ports "
          + "(KadmeshClient); %d warm-up ops first%n", s.ops(), s.ops(), s.valueSize(),
          2 * s.warmup()));
    } else {
      b.append(f("  for each kind of record, %d of each operation on %d-byte values through random "
          + "nodes' API ports (KadmeshClient); %d unmeasured of each first%n", s.ops(),
          s.valueSize(), s.warmup()));
    }
    b.append(f("  latency: one op at a time; ops/s: %d more of each with %d in flight%n", s.ops(),
        s.concurrency()));
    if (s.getQuorum() != 0) {
      b.append(f("  plain gets ask for a quorum of %d (GetRequest.quorum) instead of the "
          + "nodes' own%n", s.getQuorum()));
    }
    if (!plainOnly(s)) {
      b.append(f("  records, one kind after another on this mesh, each with the same values and "
          + "nodes:%n"));
      for (RecordKind kind : s.records()) {
        b.append(f("    %s: %s; under load: %s%n", RecordsReport.label(kind),
            Workload.describe(kind), RecordsReport.loadedBy(kind, s.concurrency())));
      }
    }
    b.append(f("settled in %.1f s: %d contacts in all routing tables (%.1f per node)%n",
        r.settleSeconds(), r.contacts(), (double) r.contacts() / s.nodes()));
    double floor = OperationStats.ms(r.floor().sequential, 50);
    b.append(f("floor: one peer FindValue round trip, %d-byte record in the answer: p50 %.3f ms, "
        + "p99 %.3f ms (Ping: p50 %.3f ms, p99 %.3f ms)%n", s.valueSize(), floor,
        OperationStats.ms(r.floor().sequential, 99), OperationStats.ms(r.floorPing().sequential, 50),
        OperationStats.ms(r.floorPing().sequential, 99)));
    boolean plainOnly = plainOnly(s);
    int width = plainOnly ? 4 : 11;
    b.append(System.lineSeparator());
    header(b, width);
    for (BenchRun.KindResult k : r.kinds()) {
      for (Map.Entry<Workload.Op, OperationStats> e : k.ops().entrySet()) {
        String name = plainOnly ? e.getKey().label
            : RecordsReport.label(k.kind()) + " " + e.getKey().label;
        row(b, width, name, e.getValue(), floor);
      }
    }
    if (plainOnly) {
      b.append(f("under load (%d in flight): put p50 %.3f ms p99 %.3f ms, %.1f rpcs/op; "
          + "get p50 %.3f ms p99 %.3f ms, %.1f rpcs/op%n", s.concurrency(),
          OperationStats.ms(r.put().loaded, 50), OperationStats.ms(r.put().loaded, 99),
          r.put().rpcsPerOpLoaded(), OperationStats.ms(r.get().loaded, 50),
          OperationStats.ms(r.get().loaded, 99), r.get().rpcsPerOpLoaded()));
      b.append(f("  process CPU under load (the whole JVM: clients and nodes): put %.3f ms/op; "
          + "get %.3f ms/op%n", r.put().cpuMsPerOpLoaded(), r.get().cpuMsPerOpLoaded()));
    } else {
      for (BenchRun.KindResult k : r.kinds()) {
        b.append(f("under load (%d in flight), %s:", s.concurrency(),
            RecordsReport.label(k.kind())));
        String sep = " ";
        for (Map.Entry<Workload.Op, OperationStats> e : k.ops().entrySet()) {
          OperationStats o = e.getValue();
          b.append(f("%s%s p50 %.3f ms p99 %.3f ms, %.1f rpcs/op, %.3f ms CPU/op", sep,
              e.getKey().label, OperationStats.ms(o.loaded, 50), OperationStats.ms(o.loaded, 99),
              o.rpcsPerOpLoaded(), o.cpuMsPerOpLoaded()));
          sep = "; ";
        }
        b.append(System.lineSeparator());
      }
      RecordsReport.checks(b, r, width);
      RecordsReport.crypto(b, r.crypto());
    }
    if (r.mesh() != null) MeshReport.text(b, r, width);
    b.append("peer RPCs by method, whole run:");
    for (Map.Entry<String, Long> e : r.rpcsByMethod().entrySet()) {
      b.append(' ').append(e.getKey()).append(' ').append(e.getValue());
    }
    b.append(System.lineSeparator());
    b.append(f("memory: heap used after GC %.1f MiB = %.0f KiB per node; process RSS %.0f MiB",
        r.heapUsedBytes() / 1048576.0, r.heapUsedBytes() / 1024.0 / s.nodes(),
        r.rssBytes() / 1048576.0));
    return b.toString();
  }

  /** The head of the table {@link #row} writes the rows of. */
  static void header(StringBuilder b, int width) {
    b.append(f("%-" + width + "s %17s %17s %17s %9s %9s %9s %10s %9s %9s%n", "",
        "p50 ms (xfloor)", "p95 ms (xfloor)", "p99 ms (xfloor)", "max ms", "ops/s", "success",
        "rpcs/op", "rpcs p50", "hops p50"));
  }

  static void row(StringBuilder b, int width, String name, OperationStats s,
      double floor) {
    Histogram h = s.sequential;
    b.append(f("%-" + width + "s %17s %17s %17s %9.2f %9.0f %9.4f %10.1f %9.0f %9.0f%n", name,
        cell(OperationStats.ms(h, 50), floor), cell(OperationStats.ms(h, 95), floor),
        cell(OperationStats.ms(h, 99), floor), OperationStats.maxMs(h), s.opsPerSecond(),
        s.successRate(), s.rpcsPerOp(), s.rpcsPerOpP50(), s.hopsP50()));
  }

  private static String cell(double ms, double floor) {
    return f("%.3f (%.1fx)", ms, ms / floor);
  }
}
