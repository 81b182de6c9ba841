package io.kadmesh.cli.simulation;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.kadmesh.cli.DurationConverter;
import io.kadmesh.cli.TerminalProgress;
import io.kadmesh.cli.bench.MeasurementCommand;
import io.kadmesh.testing.Adversaries.Lie;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `kadmesh simulate`: the unmodified Kademlia core over the in-memory network on virtual time, at
 * several network sizes, steady, under churn and with a fraction of nodes silently dead; prints
 * hops (beside log2 N), RPCs per lookup and success rates. With {@code --adversaries}, instead one
 * row per fraction of lying nodes and behaviour.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Simulates kadmesh networks in this JVM: the real Kademlia core (routing, lookups, storage)",
        "over an in-memory network on virtual time, with per-message latency and loss. For each",
        "size: puts, then gets through other random nodes; steady, under churn, and with dead nodes.",
        "With --adversaries: one row per fraction of lying nodes and behaviour instead."})
public final class SimulateCommand extends MeasurementCommand {
  // Null until given: the adversary table has smaller defaults of its own.
  @Option(names = "--nodes", split = ",", paramLabel = "N",
      description = "Network sizes, comma-separated. Default: 100,1000,10000; with --adversaries 1000.")
  List<Integer> nodes;

  @Option(names = "--lookups",
      description = "Puts, and as many gets, per scenario. Default: 1000; with --adversaries 300.")
  Integer lookups;

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

  @Option(names = "--adversaries", split = ",", paramLabel = "FRACTION",
      description = "Fractions of nodes that lie to their peers, comma-separated, each in [0, 1), "
          + "e.g. 0,0.1,0.2,0.3: prints the adversary table instead of the scenarios. Puts and "
          + "gets go through honest nodes only. Default: none.")
  List<Double> adversaries = new ArrayList<>();

  @Option(names = "--adversary-behaviour", split = ",", paramLabel = "HOW",
      description = "How adversaries lie, comma-separated, one row each: forge-contacts (FindNode "
          + "and FindValue answer k forged contacts close to the target at silent addresses, "
          + "never a value), drop-stores (Store answers stored and keeps nothing; FindValue "
          + "answers contacts only) or both (each adversary does both). Default: both.")
  List<String> behaviours;

  static final String PREFILL_NOTE = "routing tables pre-filled from the sorted ID list (bucket i: up "
      + "to k random nodes sharing exactly i prefix bits); churn newcomers join through the real "
      + "protocol; maintenance jobs not started (a virtual hour does not reach the 1 h refresh)";
  static final String JOIN_NOTE = "every node joined through a random earlier one with the real join, "
      + "one at a time; maintenance jobs not started (a virtual hour does not reach the 1 h refresh)";

  @Override
  public Integer call() {
    boolean adversarial = !adversaries.isEmpty();
    List<Integer> nodes = this.nodes != null ? this.nodes
        : adversarial ? List.of(1000) : List.of(100, 1000, 10000);
    int lookups = this.lookups != null ? this.lookups : adversarial ? 300 : 1000;
    for (int n : nodes) {
      if (n < 2 || n > 1_000_000) throw usage("--nodes must each be in [2, 1000000]: " + n);
    }
    if (lookups < 1) throw usage("--lookups must be positive: " + lookups);
    if (!adversarial && behaviours != null) {
      throw usage("--adversary-behaviour needs --adversaries (the fractions of nodes that lie)");
    }
    List<String> behaviours = this.behaviours != null ? this.behaviours : List.of("both");
    List<Set<Lie>> lies = new ArrayList<>();
    for (String b : behaviours) lies.add(lies(b));
    for (double a : adversaries) {
      if (!(a >= 0 && a < 1)) throw usage("--adversaries must each be in [0, 1): " + a);
      for (int n : nodes) {
        // A get goes through another honest node than the key's writer.
        if (n - Math.round(a * n) < 2) {
          throw usage("--adversaries " + a + " leaves fewer than 2 honest nodes of " + n);
        }
      }
    }
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
    if (adversarial) return adversaryTable(nodes, lookups, how, behaviours, lies, buildNote);

    PrintWriter out = out();
    if (!json) {
      printPreamble(out, lookups, "scenario", buildNote);
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
          deadFraction, latency, loss, seed, how)).progress(TerminalProgress.forStderr());
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
      JsonObject o = jsonPreamble(lookups, buildNote);
      o.addProperty("churn_per_hour", churn);
      o.addProperty("dead_fraction", deadFraction);
      o.add("sizes", sizes);
      printJson(o);
    }
    out.flush();
    return 0;
  }

  /** The adversary table: for each size, fraction and behaviour, one freshly built network. */
  private int adversaryTable(List<Integer> nodes, int lookups, SimulationRun.Build how,
      List<String> behaviours, List<Set<Lie>> lies, String buildNote) {
    PrintWriter out = out();
    if (!json) {
      printPreamble(out, lookups, "row, through honest nodes only", buildNote);
      out.println("adversaries: chosen by the seed before the puts; forge-contacts: FindNode and "
          + "FindValue answer k fresh IDs sharing 64-127 bits with the target at silent addresses, "
          + "never a value; drop-stores: Store answers stored, keeps nothing, FindValue answers "
          + "contacts only");
      out.println();
      out.println(f("%7s %11s %-15s %9s %11s %8s %8s %8s %8s %8s %8s %7s", "nodes", "adversaries",
          "behaviour", "gets found", "puts acked", "rpcs p50", "rpcs p95", "hops p50", "hops p95",
          "forged", "dropped", "wall s"));
      out.flush();
    }
    JsonArray rows = new JsonArray();
    for (int n : nodes) {
      SimulationRun run = new SimulationRun(new SimulationRun.Settings(n, lookups, 0, 0, latency,
          loss, seed, how)).progress(TerminalProgress.forStderr());
      for (double fraction : adversaries) {
        for (int i = 0; i < lies.size(); i++) {
          SimulationRun.Adversarial r = run.adversarial(fraction, lies.get(i), behaviours.get(i));
          if (json) {
            rows.add(adversarialJson(r));
          } else {
            out.println(f("%7d %5.1f%% %4d %-15s %8.1f%% %10.1f%% %8.0f %8.0f %8.0f %8.0f %8d %8d "
                + "%7.1f", r.nodes(), r.fraction() * 100, r.liars(), r.behaviour(),
                r.getSuccess() * 100, r.putSuccess() * 100, r.rpcsPerGetP50(), r.rpcsPerGetP95(),
                r.hopsP50(), r.hopsP95(), r.forgedAnswers(), r.droppedStores(), r.wallSeconds()));
            out.flush();
          }
        }
      }
    }
    if (json) {
      JsonObject o = jsonPreamble(lookups, buildNote);
      o.add("adversaries", rows);
      printJson(o);
    }
    return 0;
  }

  /** What every table is measured under, and how its networks were built. */
  private void printPreamble(PrintWriter out, int lookups, String per, String buildNote) {
    out.println(f("kadmesh simulate: the Kademlia core (k=20, alpha=3, get quorum 3, rpc timeout 2s) "
        + "over an in-memory network on virtual time; latency %s one way, loss %s, seed %d; "
        + "%d puts then %d gets per %s", DurationConverter.format(latency), loss, seed, lookups,
        lookups, per));
    out.println("build: " + buildNote);
  }

  private JsonObject jsonPreamble(int lookups, String buildNote) {
    JsonObject o = new JsonObject();
    o.addProperty("latency_ms", latency.toMillis());
    o.addProperty("loss", loss);
    o.addProperty("seed", seed);
    o.addProperty("lookups", lookups);
    o.addProperty("build", buildNote);
    return o;
  }

  /** A behaviour's name to the lies it tells; a usage error for any other name. */
  private Set<Lie> lies(String behaviour) {
    return switch (behaviour) {
      case "forge-contacts" -> EnumSet.of(Lie.FORGE_CONTACTS);
      case "drop-stores" -> EnumSet.of(Lie.DROP_STORES);
      case "both" -> EnumSet.of(Lie.FORGE_CONTACTS, Lie.DROP_STORES);
      default -> throw usage("--adversary-behaviour must each be forge-contacts, drop-stores or "
          + "both: " + behaviour);
    };
  }

  private static JsonObject adversarialJson(SimulationRun.Adversarial r) {
    JsonObject j = new JsonObject();
    j.addProperty("nodes", r.nodes());
    j.addProperty("fraction", r.fraction());
    j.addProperty("behaviour", r.behaviour());
    j.addProperty("adversaries", r.liars());
    j.addProperty("puts", r.puts());
    j.addProperty("put_success_rate", r.putSuccess());
    j.addProperty("gets", r.gets());
    j.addProperty("get_success_rate", r.getSuccess());
    j.addProperty("rpcs_per_get_p50", r.rpcsPerGetP50());
    j.addProperty("rpcs_per_get_p95", r.rpcsPerGetP95());
    j.addProperty("hops_p50", r.hopsP50());
    j.addProperty("hops_p95", r.hopsP95());
    j.addProperty("forged_answers", r.forgedAnswers());
    j.addProperty("dropped_stores", r.droppedStores());
    j.addProperty("wall_s", round(r.wallSeconds()));
    return j;
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
