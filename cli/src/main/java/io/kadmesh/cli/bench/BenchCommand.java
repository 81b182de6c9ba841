package io.kadmesh.cli.bench;

import com.google.gson.JsonObject;
import java.util.Map;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `kadmesh bench`: N real nodes on loopback in this JVM, a seeded put/get workload through their
 * API ports, and the figures: latency percentiles (one operation at a time) as multiples of a bare
 * peer round trip measured in the same run, throughput with C in flight, peer RPCs and hops per
 * operation, memory.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
        "Starts N kadmesh nodes on 127.0.0.1 in this JVM (gRPC over Netty, in-memory stores), waits",
        "until the mesh settled, then runs M puts and M gets of S-byte values through random nodes'",
        "API ports: one at a time for latency, then with C in flight for throughput. Seeded."})
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

  @Override
  public Integer call() throws Exception {
    if (nodes < 2 || nodes > 1000) throw usage("--nodes must be in [2, 1000]: " + nodes);
    if (ops < 1) throw usage("--ops must be positive: " + ops);
    if (valueSize < 1 || valueSize > 65536) throw usage("--value-size must be in [1, 65536]: " + valueSize);
    if (concurrency < 1) throw usage("--concurrency must be positive: " + concurrency);
    if (warmup < 0) throw usage("--warmup must not be negative: " + warmup);
    BenchRun.Result r = new BenchRun(
        new BenchRun.Settings(nodes, ops, valueSize, concurrency, seed, warmup)).run();
    if (json) {
      printJson(json(r));
    } else {
      out().println(text(r));
      out().flush();
    }
    return 0;
  }

  static JsonObject json(BenchRun.Result r) {
    BenchRun.Settings s = r.settings();
    JsonObject o = new JsonObject();
    o.addProperty("nodes", s.nodes());
    o.addProperty("ops", s.ops());
    o.addProperty("value_size", s.valueSize());
    o.addProperty("concurrency", s.concurrency());
    o.addProperty("seed", s.seed());
    o.addProperty("warmup", s.warmup());
    o.addProperty("settle_s", round(r.settleSeconds()));
    o.addProperty("contacts", r.contacts());
    double floorP50 = OperationStats.ms(r.floor().sequential, 50);
    o.add("floor", floorJson(r.floor(), "one peer FindValue round trip between two nodes, "
        + "callee holds the key: " + s.valueSize() + "-byte record in the answer"));
    o.add("floor_ping", floorJson(r.floorPing(), "one peer Ping round trip between two nodes"));
    o.add("put", opJson(r.put(), floorP50));
    o.add("get", opJson(r.get(), floorP50));
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

  private static JsonObject opJson(OperationStats s, double floorP50) {
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
    o.addProperty("hops_p50", s.hopsP50());
    o.addProperty("hops_p95", s.hopsP95());
    o.addProperty("hops_mean", round(s.hopsMean()));
    return o;
  }

  static String text(BenchRun.Result r) {
    BenchRun.Settings s = r.settings();
    StringBuilder b = new StringBuilder();
    b.append(f("kadmesh bench: %d nodes on 127.0.0.1 in one JVM (gRPC over Netty, in-memory stores), "
        + "seed %d%n", s.nodes(), s.seed()));
    b.append(f("  %d puts then %d gets of %d-byte values through random nodes' API ports "
        + "(KadmeshClient); %d warm-up ops first%n", s.ops(), s.ops(), s.valueSize(), 2 * s.warmup()));
    b.append(f("  latency: one op at a time; ops/s: %d more of each with %d in flight%n", s.ops(),
        s.concurrency()));
    b.append(f("settled in %.1f s: %d contacts in all routing tables (%.1f per node)%n",
        r.settleSeconds(), r.contacts(), (double) r.contacts() / s.nodes()));
    double floor = OperationStats.ms(r.floor().sequential, 50);
    b.append(f("floor: one peer FindValue round trip, %d-byte record in the answer: p50 %.3f ms, "
        + "p99 %.3f ms (Ping: p50 %.3f ms, p99 %.3f ms)%n", s.valueSize(), floor,
        OperationStats.ms(r.floor().sequential, 99), OperationStats.ms(r.floorPing().sequential, 50),
        OperationStats.ms(r.floorPing().sequential, 99)));
    b.append(f("%n%-4s %17s %17s %17s %9s %9s %9s %10s %9s %9s%n", "", "p50 ms (xfloor)",
        "p95 ms (xfloor)", "p99 ms (xfloor)", "max ms", "ops/s", "success", "rpcs/op", "rpcs p50",
        "hops p50"));
    row(b, "put", r.put(), floor);
    row(b, "get", r.get(), floor);
    b.append(f("under load (%d in flight): put p50 %.3f ms p99 %.3f ms, %.1f rpcs/op; "
        + "get p50 %.3f ms p99 %.3f ms, %.1f rpcs/op%n", s.concurrency(),
        OperationStats.ms(r.put().loaded, 50), OperationStats.ms(r.put().loaded, 99),
        r.put().rpcsPerOpLoaded(), OperationStats.ms(r.get().loaded, 50),
        OperationStats.ms(r.get().loaded, 99), r.get().rpcsPerOpLoaded()));
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

  private static void row(StringBuilder b, String name, OperationStats s, double floor) {
    Histogram h = s.sequential;
    b.append(f("%-4s %17s %17s %17s %9.2f %9.0f %9.4f %10.1f %9.0f %9.0f%n", name,
        cell(OperationStats.ms(h, 50), floor), cell(OperationStats.ms(h, 95), floor),
        cell(OperationStats.ms(h, 99), floor), OperationStats.maxMs(h), s.opsPerSecond(),
        s.successRate(), s.rpcsPerOp(), s.rpcsPerOpP50(), s.hopsP50()));
  }

  private static String cell(double ms, double floor) {
    return f("%.3f (%.1fx)", ms, ms / floor);
  }
}
