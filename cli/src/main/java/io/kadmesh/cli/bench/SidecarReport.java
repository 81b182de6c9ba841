package io.kadmesh.cli.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;

/** Prints what {@link SidecarRun} measured: one row per set of JVM options, as a table or JSON. */
final class SidecarReport {
  private SidecarReport() {}

  static String text(SidecarRun.Settings s, List<SidecarRun.SetResult> results) {
    StringBuilder b = new StringBuilder();
    b.append(f("kadmesh bench --sidecar: `kadmesh node` with its defaults (RocksDB store in a fresh "
        + "directory, admin port on, no bootstrap), ports on 127.0.0.1:0; %d starts per set of JVM "
        + "options, the sets taking turns; RSS and threads after %.1f s idle%n", s.runs(),
        s.idle().toMillis() / 1000.0));
    b.append(f("%-8s %26s %26s %26s %26s %9s  %s%n", "", "exec to SERVING ms", "CPU to SERVING ms",
        "idle RSS MiB", "of which anonymous MiB", "threads", "JVM options"));
    b.append(f("%-8s %26s %26s %26s %26s %9s%n", "", "median (min-max)", "median (min-max)",
        "median (min-max)", "median (min-max)", "median"));
    for (int i = 0; i < results.size(); i++) {
      SidecarRun.SetResult r = results.get(i);
      b.append(f("%-8s %26s %26s %26s %26s %9.0f  %s%n", "set " + (i + 1),
          spread(r.startMs(), "%.0f"), spread(r.cpuMs(), "%.0f"), spread(r.rssMib(), "%.1f"),
          spread(r.rssAnonMib(), "%.1f"), SidecarRun.quantile(r.threads(), 0.5),
          r.javaOptions().isEmpty() ? "(none)" : String.join(" ", r.javaOptions())));
    }
    return b.toString();
  }

  static JsonObject json(SidecarRun.Settings s, List<SidecarRun.SetResult> results) {
    JsonObject o = new JsonObject();
    o.addProperty("runs", s.runs());
    o.addProperty("idle_s", s.idle().toMillis() / 1000.0);
    JsonArray sets = new JsonArray();
    for (SidecarRun.SetResult r : results) {
      JsonObject set = new JsonObject();
      JsonArray options = new JsonArray();
      r.javaOptions().forEach(options::add);
      set.add("java_options", options);
      set.add("start_to_serving_ms", stats(r.startMs()));
      set.add("cpu_to_serving_ms", stats(r.cpuMs()));
      set.add("idle_rss_mib", stats(r.rssMib()));
      set.add("idle_rss_anon_mib", stats(r.rssAnonMib()));
      set.add("threads", stats(r.threads()));
      sets.add(set);
    }
    o.add("sets", sets);
    return o;
  }

  private static JsonObject stats(double[] v) {
    JsonObject o = new JsonObject();
    o.addProperty("median", round(SidecarRun.quantile(v, 0.5)));
    o.addProperty("min", round(SidecarRun.quantile(v, 0)));
    o.addProperty("max", round(SidecarRun.quantile(v, 1)));
    JsonArray all = new JsonArray();
    for (double x : v) all.add(round(x));
    o.add("all", all);
    return o;
  }

  private static String spread(double[] v, String number) {
    return f(number + " (" + number + "-" + number + ")", SidecarRun.quantile(v, 0.5),
        SidecarRun.quantile(v, 0), SidecarRun.quantile(v, 1));
  }

  private static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 10) / 10.0 : v;
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
