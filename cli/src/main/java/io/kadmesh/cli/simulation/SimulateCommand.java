package io.kadmesh.cli.simulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.kadmesh.cli.DurationConverter;
import io.kadmesh.cli.bench.MeasurementCommand;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `kadmesh simulate`: the unmodified Kademlia core over the in-memory network on virtual time, at
 * several network sizes, steady, under churn and with a fraction of nodes silently dead; prints
 * hops (beside log2 N), RPCs per lookup and success rates.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Simulates kadmesh networks in this JVM: the real Kademlia core (routing, lookups, storage)",
        "over an in-memory network on virtual time, with per-message latency and loss. For each",
        "size: puts, then gets through other random nodes; steady, under churn, and with dead nodes."})
public final class SimulateCommand extends MeasurementCommand {
  @Option(names = "--nodes", split = ",", paramLabel = "N",
      description = "Network sizes, comma-separated. Default: 100,1000,10000.")
  List<Integer> nodes = new ArrayList<>(List.of(100, 1000, 10000));

  @Option(names = "--lookups", description = "Puts, and as many gets, per scenario. Default: ${DEFAULT-VALUE}.")
  int lookups = 1000;

  @Option(names = "--churn", paramLabel = "FRACTION",
      description = "Fraction of nodes replaced per virtual hour in the churn scenario; 0 skips it. Default: ${DEFAULT-VALUE}.")
  double churn = 0.1;

  @Option(names = "--dead-fraction", paramLabel = "FRACTION",
      description = "Fraction of nodes silently dead in the dead scenario; 0 skips it. Default: ${DEFAULT-VALUE}.")
  double deadFraction = 0.1;

  @Option(names = "--latency", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "One-way delay of every message. Default: 20ms.")
  Duration latency = Duration.ofMillis(20);

  @Option(names = "--loss", paramLabel = "FRACTION",
      description = "Fraction of messages lost. Default: ${DEFAULT-VALUE}.")
  double loss = 0;

  @Option(names = "--build", paramLabel = "HOW",
      description = "How networks are built: prefill (routing tables filled from the sorted ID list, "
          + "fast) or join (every node joins through the protocol, one by one; slow beyond 10,000). "
          + "Default: ${DEFAULT-VALUE}.")
  String build = "prefill";

  static final String PREFILL_NOTE = "routing tables pre-filled from the sorted ID list (bucket i: up "
      + "to k random nodes sharing exactly i prefix bits); churn newcomers join through the real "
      + "protocol; maintenance jobs not started (a virtual hour does not reach the 1 h refresh)";
  static final String JOIN_NOTE = "every node joined through a random earlier one with the real join, "
      + "one at a time; maintenance jobs not started (a virtual hour does not reach the 1 h refresh)";

  @Override
  public Integer call() {
    for (int n : nodes) {
      if (n < 2 || n > 1_000_000) throw usage("--nodes must each be in [2, 1000000]: " + n);
    }
    if (lookups < 1) throw usage("--lookups must be positive: " + lookups);
    if (churn < 0 || churn > 1) throw usage("--churn must be in [0, 1]: " + churn);
    if (deadFraction < 0 || deadFraction >= 1) throw usage("--dead-fraction must be in [0, 1): " + deadFraction);
    if (loss < 0 || loss >= 1) throw usage("--loss must be in [0, 1): " + loss);
    if (latency.isNegative()) throw usage("--latency must not be negative: " + latency);
    SimulationRun.Build how = switch (build) {
      case "prefill" -> SimulationRun.Build.PREFILL;
      case "join" -> SimulationRun.Build.JOIN;
      default -> throw usage("--build must be prefill or join: " + build);
    };
    String buildNote = how == SimulationRun.Build.JOIN ? JOIN_NOTE : PREFILL_NOTE;

    PrintWriter out = out();
    if (!json) {
      out.println(f("kadmesh simulate: the Kademlia core (k=20, alpha=3, get quorum 3, rpc timeout 2s) "
          + "over an in-memory network on virtual time; latency %s one way, loss %s, seed %d; "
          + "%d puts then %d gets per scenario", DurationConverter.format(latency), loss, seed,
          lookups, lookups));
      out.println("build: " + buildNote);
      out.println("hops: rounds on the lookup's longest chain of answers (seed = 1); rpcs/get: "
          + "requests the get's lookup sent (each has an answer); net req/get: every request in the "
          + "network during the gets (pings of full buckets' least-recently seen, churn joins) / gets");
      out.println();
      out.println(f("%8s %-14s %8s %8s %7s %9s %9s %12s %10s %8s %8s %9s %10s %9s %8s", "nodes",
          "scenario", "hops p50", "hops p95", "log2 N", "rpcs/get", "rpcs p50", "net req/get",
          "pings/get", "get ok", "put ok", "rpcs/put", "get ms p50", "heap/node", "wall s"));
      out.flush();
    }
    JsonArray sizes = new JsonArray();
    for (int n : nodes) {
      SimulationRun run = new SimulationRun(new SimulationRun.Settings(n, lookups, churn,
          deadFraction, latency, loss, seed, how));
      List<SimulationRun.Scenario> scenarios = new ArrayList<>();
      scenarios.add(run.steady());
      print(out, scenarios);
      if (churn > 0) {
        scenarios.add(run.churn());
        print(out, scenarios);
      }
      if (deadFraction > 0) {
        scenarios.add(run.dead());
        print(out, scenarios);
      }
      sizes.add(sizeJson(n, scenarios));
    }
    if (json) {
      JsonObject o = new JsonObject();
      o.addProperty("latency_ms", latency.toMillis());
      o.addProperty("loss", loss);
      o.addProperty("seed", seed);
      o.addProperty("lookups", lookups);
      o.addProperty("churn_per_hour", churn);
      o.addProperty("dead_fraction", deadFraction);
      o.addProperty("build", buildNote);
      o.add("sizes", sizes);
      printJson(o);
    }
    out.flush();
    return 0;
  }

  private void print(PrintWriter out, List<SimulationRun.Scenario> scenarios) {
    if (json) return;
    SimulationRun.Scenario s = scenarios.get(scenarios.size() - 1);
    out.println(f("%8d %-14s %8.0f %8.0f %7.1f %9.1f %9.0f %12.1f %10.1f %8.4f %8.4f %9.1f %10.0f "
        + "%8.1fK %8.1f", s.nodes(), s.name(), s.hopsP50(), s.hopsP95(), log2(s.nodes()),
        s.rpcsPerGet(), s.rpcsPerGetP50(), s.networkRequestsPerGet(), s.pingsPerGet(), s.getSuccess(), s.putSuccess(), s.rpcsPerPut(), s.virtualLatencyP50Ms(),
        s.heapPerNodeBytes() / 1024.0, s.wallSeconds() + s.buildSeconds()));
    out.flush();
  }

  private static JsonObject sizeJson(int n, List<SimulationRun.Scenario> scenarios) {
    JsonObject o = new JsonObject();
    o.addProperty("nodes", n);
    o.addProperty("log2_n", round(log2(n)));
    o.addProperty("heap_per_node_kib", round(scenarios.get(0).heapPerNodeBytes() / 1024.0));
    o.addProperty("build_s", round(scenarios.get(0).buildSeconds()));
    for (SimulationRun.Scenario s : scenarios) {
      JsonObject j = new JsonObject();
      j.addProperty("scenario", s.name());
      j.addProperty("note", s.note());
      j.addProperty("hops_p50", s.hopsP50());
      j.addProperty("hops_p95", s.hopsP95());
      j.addProperty("hops_mean", round(s.hopsMean()));
      j.addProperty("value_hops_p50", s.valueHopsP50());
      j.addProperty("rpcs_per_get", round(s.rpcsPerGet()));
      j.addProperty("rpcs_per_get_p50", s.rpcsPerGetP50());
      j.addProperty("rpcs_per_put", round(s.rpcsPerPut()));
      j.addProperty("network_requests_per_get", round(s.networkRequestsPerGet()));
      j.addProperty("pings_per_get", round(s.pingsPerGet()));
      j.addProperty("gets", s.gets());
      j.addProperty("get_success_rate", s.getSuccess());
      j.addProperty("puts", s.puts());
      j.addProperty("put_success_rate", s.putSuccess());
      j.addProperty("get_virtual_ms_p50", s.virtualLatencyP50Ms());
      j.addProperty("wall_s", round(s.wallSeconds() + s.buildSeconds()));
      o.add(s.name().split(" ")[0], j);
    }
    return o;
  }

  private static double log2(int n) {
    return Math.log(n) / Math.log(2);
  }
}
