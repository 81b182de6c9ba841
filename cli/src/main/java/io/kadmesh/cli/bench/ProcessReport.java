package io.kadmesh.cli.bench;

import com.google.gson.JsonObject;
import java.util.Locale;

/** Prints what {@link ProcessBenchRun} measured, as a table or JSON. */
final class ProcessReport {
  private ProcessReport() {}

  static String text(ProcessBenchRun.Result r) {
    ProcessBenchRun.Settings s = r.settings();
    StringBuilder b = new StringBuilder();
    b.append(f("kadmesh bench --processes: %d `kadmesh node` processes on 127.0.0.1 (in-memory "
        + "stores, k = %d), seed %d%n", s.nodes(), s.k(), s.seed()));
    b.append(f("  %d puts then %d gets of %d-byte values through %s (KadmeshClient); %d warm-up "
        + "ops first%n", s.ops(), s.ops(), s.valueSize(),
        s.allNodes() ? "random nodes' API ports" : "node 0's API port", 2 * s.warmup()));
    b.append(f("  latency: one op at a time; ops/s: %d more of each with %d in flight%n", s.ops(),
        s.concurrency()));
    if (s.getQuorum() != 0) {
      b.append(f("  plain gets ask for a quorum of %d (GetRequest.quorum) instead of the "
          + "nodes' own%n", s.getQuorum()));
    }
    b.append(f("settled in %.1f s: %d contacts in all routing tables (%.1f per node)%n",
        r.settleSeconds(), r.contacts(), (double) r.contacts() / s.nodes()));
    b.append(f("%-4s %9s %9s %9s %9s %9s %9s %12s %12s%n", "", "p50 ms", "p95 ms", "p99 ms",
        "max ms", "ops/s", "success", "loaded p50", "loaded p99"));
    row(b, "put", r.put());
    row(b, "get", r.get());
    b.append(f("memory: the node processes' RSS summed %.0f MiB (%.1f MiB per node)",
        r.rssBytes() / 1048576.0, r.rssBytes() / 1048576.0 / s.nodes()));
    return b.toString();
  }

  static JsonObject json(ProcessBenchRun.Result r) {
    ProcessBenchRun.Settings s = r.settings();
    JsonObject o = new JsonObject();
    o.addProperty("mode", "processes");
    o.addProperty("nodes", s.nodes());
    o.addProperty("k", s.k());
    o.addProperty("through", s.allNodes() ? "all" : "one");
    o.addProperty("get_quorum", s.getQuorum());
    o.addProperty("ops", s.ops());
    o.addProperty("value_size", s.valueSize());
    o.addProperty("concurrency", s.concurrency());
    o.addProperty("seed", s.seed());
    o.addProperty("warmup", s.warmup());
    o.addProperty("settle_s", round(r.settleSeconds()));
    o.addProperty("contacts", r.contacts());
    o.add("put", op(r.put()));
    o.add("get", op(r.get()));
    JsonObject mem = new JsonObject();
    mem.addProperty("rss_mib", round(r.rssBytes() / 1048576.0));
    mem.addProperty("rss_per_node_mib", round(r.rssBytes() / 1048576.0 / s.nodes()));
    o.add("memory", mem);
    return o;
  }

  private static JsonObject op(OperationStats s) {
    JsonObject o = new JsonObject();
    for (int p : new int[] {50, 95, 99}) {
      o.addProperty("p" + p + "_ms", round(OperationStats.ms(s.sequential, p)));
    }
    o.addProperty("max_ms", round(OperationStats.maxMs(s.sequential)));
    o.addProperty("ops_per_s", round(s.opsPerSecond()));
    o.addProperty("loaded_p50_ms", round(OperationStats.ms(s.loaded, 50)));
    o.addProperty("loaded_p99_ms", round(OperationStats.ms(s.loaded, 99)));
    o.addProperty("success_rate", s.successRate());
    o.addProperty("failures", s.failures());
    return o;
  }

  private static void row(StringBuilder b, String name, OperationStats s) {
    b.append(f("%-4s %9.3f %9.3f %9.3f %9.2f %9.0f %9.4f %12.3f %12.3f%n", name,
        OperationStats.ms(s.sequential, 50), OperationStats.ms(s.sequential, 95),
        OperationStats.ms(s.sequential, 99), OperationStats.maxMs(s.sequential), s.opsPerSecond(),
        s.successRate(), OperationStats.ms(s.loaded, 50), OperationStats.ms(s.loaded, 99)));
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
