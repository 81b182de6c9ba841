package io.kadmesh.cli.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `kadmesh simulate` at 200 nodes: hops and success rates for every scenario, and with liars. */
class SimulateCommandTest {
  @Test
  void twoHundredNodesReportHopsAndSuccessForEachScenario() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out));

    int exit = cli.execute("--nodes", "200", "--lookups", "50", "--seed", "3", "--json");

    assertThat(exit).isZero();
    JsonObject size = JsonParser.parseString(out.toString()).getAsJsonObject()
        .getAsJsonArray("sizes").get(0).getAsJsonObject();
    assertThat(size.get("nodes").getAsInt()).isEqualTo(200);
    assertThat(size.get("heap_per_node_kib").getAsDouble()).isPositive();
    for (String scenario : new String[] {"steady", "churn", "dead"}) {
      JsonObject s = size.getAsJsonObject(scenario);
      assertThat(s.get("hops_p50").getAsDouble()).isGreaterThanOrEqualTo(1);
      assertThat(s.get("hops_p95").getAsDouble()).isGreaterThanOrEqualTo(s.get("hops_p50").getAsDouble());
      assertThat(s.get("rpcs_per_get").getAsDouble()).isPositive();
      assertThat(s.get("get_success_rate").getAsDouble()).isBetween(0.0, 1.0);
      assertThat(s.get("put_success_rate").getAsDouble()).isEqualTo(1.0);
    }
    // Nothing is lost while every node is up.
    assertThat(size.getAsJsonObject("steady").get("get_success_rate").getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void networkBuiltByRealJoinsFindsEveryValue() {
    StringWriter out = new StringWriter();
    int exit = new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out))
        .execute("--nodes", "100", "--lookups", "20", "--build", "join", "--churn", "0",
            "--dead-fraction", "0", "--json");

    assertThat(exit).isZero();
    JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
    assertThat(json.get("build").getAsString()).contains("joined");
    JsonObject steady = json.getAsJsonArray("sizes").get(0).getAsJsonObject().getAsJsonObject("steady");
    assertThat(steady.get("get_success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(steady.get("pings_per_get").getAsDouble()).isNotNegative();
  }

  @Test
  void sameSeedSameFigures() {
    String a = run();
    String b = run();
    assertThat(strip(a)).isEqualTo(strip(b));
  }

  @Test
  void thirtyPercentForgingContacts_areAsked_andEveryGetStillFindsTheValue() {
    JsonArray rows = adversaryRows("--nodes", "200", "--lookups", "40", "--seed", "3",
        "--adversaries", "0,0.3", "--adversary-behaviour", "forge-contacts");

    JsonObject none = rows.get(0).getAsJsonObject();
    JsonObject liars = rows.get(1).getAsJsonObject();
    assertThat(none.get("adversaries").getAsInt()).isZero();
    assertThat(none.get("forged_answers").getAsLong()).isZero();
    assertThat(none.get("get_success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(liars.get("adversaries").getAsInt()).isEqualTo(60);
    assertThat(liars.get("behaviour").getAsString()).isEqualTo("forge-contacts");
    // The liars were asked: 40 puts and 40 gets drew about three hundred forged answers.
    assertThat(liars.get("forged_answers").getAsLong()).isGreaterThanOrEqualTo(100);
    assertThat(liars.get("dropped_stores").getAsLong()).isZero();
    // Before lookups distrusted peers whose introductions fail, 14 % of gets succeeded at 30 %
    // (1,000 nodes); seeds 1-5 at 200 nodes now find all 40.
    assertThat(liars.get("get_success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(liars.get("put_success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(liars.get("rpcs_per_get_p95").getAsDouble())
        .isGreaterThan(none.get("rpcs_per_get_p95").getAsDouble());
  }

  @Test
  void tenPercentDroppingStores_acknowledgeAndDrop_whileEveryGetFindsTheValue() {
    JsonArray rows = adversaryRows("--nodes", "200", "--lookups", "40", "--seed", "3",
        "--adversaries", "0.1", "--adversary-behaviour", "drop-stores");

    JsonObject tenth = rows.get(0).getAsJsonObject();
    assertThat(tenth.get("dropped_stores").getAsLong()).isGreaterThanOrEqualTo(40);
    assertThat(tenth.get("forged_answers").getAsLong()).isZero();
    // k = 20 replicas per key: two liars among them lose two copies, not the record.
    assertThat(tenth.get("put_success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(tenth.get("get_success_rate").getAsDouble()).isEqualTo(1.0);
  }

  @Test
  void everyBehaviourGetsARowPerFraction() {
    JsonArray rows = adversaryRows("--nodes", "50", "--lookups", "5", "--adversaries", "0,0.2",
        "--adversary-behaviour", "forge-contacts,drop-stores,both");

    assertThat(rows).hasSize(6);
    JsonObject both = rows.get(5).getAsJsonObject();
    assertThat(both.get("fraction").getAsDouble()).isEqualTo(0.2);
    assertThat(both.get("behaviour").getAsString()).isEqualTo("both");
    assertThat(both.get("adversaries").getAsInt()).isEqualTo(10);
  }

  @Test
  void adversaryOptionsOutsideTheirRange_areUsageErrorsNamingTheOption() {
    assertUsageError("--adversaries must each be in [0, 1): 1.0", "--adversaries", "0,1");
    assertUsageError("--adversaries must each be in [0, 1): -0.1", "--adversaries", "-0.1");
    assertUsageError("--adversaries must each be in [0, 1): NaN", "--adversaries", "NaN");
    assertUsageError("--adversary-behaviour must each be forge-contacts, drop-stores or both: lie",
        "--adversaries", "0.1", "--adversary-behaviour", "forge-contacts,lie");
    assertUsageError("--adversary-behaviour needs --adversaries", "--adversary-behaviour", "both");
    assertUsageError("--adversaries 0.5 leaves fewer than 2 honest nodes of 3", "--nodes", "3",
        "--adversaries", "0.5");
  }

  private static void assertUsageError(String message, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err)).execute(args);

    assertThat(exit).as(String.join(" ", args)).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains(message);
    assertThat(out.toString()).as("nothing simulated").isEmpty();
  }

  private static JsonArray adversaryRows(String... args) {
    StringWriter out = new StringWriter();
    String[] withJson = Arrays.copyOf(args, args.length + 1);
    withJson[args.length] = "--json";
    int exit = new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out)).execute(withJson);
    assertThat(exit).isZero();
    return JsonParser.parseString(out.toString()).getAsJsonObject().getAsJsonArray("adversaries");
  }

  private static String run() {
    StringWriter out = new StringWriter();
    new CommandLine(new SimulateCommand()).setOut(new PrintWriter(out))
        .execute("--nodes", "100", "--lookups", "20", "--seed", "5", "--json");
    return out.toString();
  }

  /** Wall-clock time and heap differ between runs; everything else is determined by the seed. */
  private static String strip(String json) {
    JsonObject size = JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("sizes").get(0)
        .getAsJsonObject();
    size.remove("heap_per_node_kib");
    size.remove("build_s");
    for (String s : new String[] {"steady", "churn", "dead"}) size.getAsJsonObject(s).remove("wall_s");
    return size.toString();
  }
}
