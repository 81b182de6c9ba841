package io.kadmesh.cli.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `kadmesh simulate` at 200 nodes: hops and success rates for every scenario. */
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
