package io.kadmesh.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `kadmesh bench` at a tiny size: the JSON has its fields and every operation succeeded. */
class BenchCommandTest {
  @Test
  void tinyBenchPrintsEveryFieldAndAllOperationsSucceed() {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new BenchCommand()).setOut(new PrintWriter(out));

    int exit = cli.execute("--nodes", "4", "--ops", "20", "--warmup", "5", "--concurrency", "4",
        "--seed", "7", "--json");

    assertThat(exit).isZero();
    JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
    for (String op : new String[] {"put", "get"}) {
      JsonObject o = json.getAsJsonObject(op);
      assertThat(o.keySet()).contains("p50_ms", "p95_ms", "p99_ms", "ops_per_s", "success_rate",
          "rpcs_per_op", "hops_p50");
      assertThat(o.get("success_rate").getAsDouble()).isEqualTo(1.0);
      assertThat(o.get("rpcs_per_op").getAsDouble()).isPositive();
    }
    JsonObject floor = json.getAsJsonObject("floor");
    assertThat(floor.keySet()).contains("p50_ms", "p99_ms");
    assertThat(floor.get("success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(json.getAsJsonObject("memory").keySet()).contains("heap_per_node_kib", "rss_mib");
  }
}
