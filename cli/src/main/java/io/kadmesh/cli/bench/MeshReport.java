package io.kadmesh.cli.bench;

import static io.kadmesh.cli.bench.MeasurementCommand.f;
import static io.kadmesh.cli.bench.MeasurementCommand.round;

import com.google.gson.JsonObject;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures {@code kadmesh bench --mesh} adds, as text and as JSON: the resolves beside the
 * run's floor and get, and each kind of change's time to the watcher's event, in milliseconds and
 * in peer round trips (the Ping floor's p50 of the same run).
 */
final class MeshReport {
  private static final String WATCH_WHAT = "from issuing the change through a node other than the "
      + "watcher's to the watcher's event (ENDPOINT_ADDED, ENDPOINT_REMOVED, VALUE); one change at "
      + "a time, each event awaited up to " + WatchLatency.EVENT_LIMIT.toSeconds() + " s; "
      + "round_trips = ms / the Ping floor's p50";

  private MeshReport() {}

  static JsonObject json(BenchRun.Result r) {
    BenchRun.MeshResult m = r.mesh();
    BenchRun.MeshSettings s = m.settings();
    JsonObject o = new JsonObject();
    o.addProperty("services", s.services());
    o.addProperty("endpoints_per_service", s.endpoints());
    o.addProperty("endpoints_published", m.published());
    o.addProperty("announce_s", round(m.announceSeconds()));
    double floorP50 = OperationStats.ms(r.floor().sequential, 50);
    JsonObject resolve = BenchCommand.opJson(m.resolve(), floorP50);
    resolve.addProperty("what", MeshWorkload.RESOLVE_WHAT);
    double getP50 = OperationStats.ms(r.get().sequential, 50);
    resolve.addProperty("get_p50_ms", round(getP50));
    resolve.addProperty("p50_x_get", round(OperationStats.ms(m.resolve().sequential, 50) / getP50));
    o.add("resolve", resolve);

    WatchLatency.Figures w = m.watch();
    double rtt = OperationStats.ms(r.floorPing().sequential, 50);
    JsonObject watch = new JsonObject();
    watch.addProperty("what", WATCH_WHAT);
    watch.addProperty("service_watchers", w.serviceWatchers());
    watch.addProperty("key_watchers", w.keyWatchers());
    watch.addProperty("rounds", w.rounds());
    watch.addProperty("round_trip_ms", round(rtt));
    watch.addProperty("not_synced", w.notSynced());
    watch.addProperty("resyncs", w.resyncs());
    watch.addProperty("errors", w.errors());
    for (Map.Entry<WatchLatency.Change, WatchLatency.ChangeStats> e : w.changes().entrySet()) {
      WatchLatency.ChangeStats c = e.getValue();
      JsonObject change = new JsonObject();
      change.addProperty("issued", c.issued);
      change.addProperty("call_failures", c.callFailures);
      change.addProperty("events", c.arrived());
      change.addProperty("missed", c.missed);
      change.addProperty("before_call_returned", c.beforeCallReturned);
      for (double p : new double[] {50, 99}) {
        double ms = OperationStats.ms(c.event, p);
        change.addProperty("p" + (int) p + "_ms", round(ms));
        change.addProperty("p" + (int) p + "_round_trips", round(ms / rtt));
      }
      change.addProperty("max_ms", round(OperationStats.maxMs(c.event)));
      change.addProperty("call_p50_ms", round(OperationStats.ms(c.call, 50)));
      change.addProperty("call_p99_ms", round(OperationStats.ms(c.call, 99)));
      watch.add(e.getKey().label, change);
    }
    o.add("watch", watch);
    return o;
  }

  static void text(StringBuilder b, BenchRun.Result r, int width) {
    BenchRun.MeshResult m = r.mesh();
    BenchRun.MeshSettings s = m.settings();
    BenchRun.Settings run = r.settings();
    b.append(f("%nservice mesh: %d services x %d endpoints, each endpoint announced through a "
        + "random node's API port: %d of %d published in %.1f s%n", s.services(), s.endpoints(),
        m.published(), s.services() * s.endpoints(), m.announceSeconds()));
    b.append(f("  %s; %d one at a time (after %d unmeasured), then %d with %d client threads%n",
        MeshWorkload.RESOLVE_WHAT, run.ops(), run.warmup(), run.ops(), run.concurrency()));
    BenchCommand.header(b, width);
    double floor = OperationStats.ms(r.floor().sequential, 50);
    BenchCommand.row(b, width, "resolve", m.resolve(), floor);
    double resolveP50 = OperationStats.ms(m.resolve().sequential, 50);
    double getP50 = OperationStats.ms(r.get().sequential, 50);
    b.append(f("  resolve p50 = %.2fx the get p50 of this run (%s get p50 %.3f ms); under load: "
        + "p50 %.3f ms p99 %.3f ms, %.1f rpcs/op%n", resolveP50 / getP50,
        RecordsReport.label(r.kinds().get(0).kind()), getP50,
        OperationStats.ms(m.resolve().loaded, 50), OperationStats.ms(m.resolve().loaded, 99),
        m.resolve().rpcsPerOpLoaded()));

    WatchLatency.Figures w = m.watch();
    double rtt = OperationStats.ms(r.floorPing().sequential, 50);
    b.append(f("watch: %d watchers on random nodes (%d on a service, %d on a key), %d rounds of "
        + "changes after 1 unmeasured; each change through another node than its watcher's, one at "
        + "a time, its event awaited up to %d s%n", w.serviceWatchers() + w.keyWatchers(),
        w.serviceWatchers(), w.keyWatchers(), w.rounds(), WatchLatency.EVENT_LIMIT.toSeconds()));
    b.append(f("  time from issuing the change to the watcher's event; 1 round trip = the Ping "
        + "floor's p50, %.3f ms; call = the change's own API call; before return = events that "
        + "came before that call returned%n", rtt));
    b.append(f("  %-18s %7s %7s %7s %19s %19s %9s %12s %12s %14s%n", "change", "issued", "events",
        "missed", "p50 ms (trips)", "p99 ms (trips)", "max ms", "call p50 ms", "call p99 ms",
        "before return"));
    for (Map.Entry<WatchLatency.Change, WatchLatency.ChangeStats> e : w.changes().entrySet()) {
      WatchLatency.ChangeStats c = e.getValue();
      Histogram h = c.event;
      b.append(f("  %-18s %7d %7d %7d %19s %19s %9.2f %12.3f %12.3f %14d%n",
          e.getKey().label + " (" + event(e.getKey()) + ")", c.issued, c.arrived(), c.missed,
          trips(OperationStats.ms(h, 50), rtt), trips(OperationStats.ms(h, 99), rtt),
          OperationStats.maxMs(h), OperationStats.ms(c.call, 50), OperationStats.ms(c.call, 99),
          c.beforeCallReturned));
    }
    int failures = w.changes().values().stream().mapToInt(c -> c.callFailures).sum();
    b.append(f("  change calls failed: %d; watchers not synced within the limit: %d; RESYNC "
        + "events: %d; watch streams ended in error: %d%n", failures, w.notSynced(), w.resyncs(),
        w.errors()));
  }

  private static String event(WatchLatency.Change c) {
    return switch (c) {
      case ANNOUNCE -> "ADDED";
      case WITHDRAW -> "REMOVED";
      case PUT -> "VALUE";
    };
  }

  private static String trips(double ms, double rtt) {
    return f("%.3f (%.1f)", ms, ms / rtt);
  }
}
