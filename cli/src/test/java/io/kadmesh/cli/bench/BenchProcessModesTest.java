package io.kadmesh.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * `kadmesh bench --k`, `--processes` (real `kadmesh node` processes, started from this JVM's class
 * path and stopped by the bench) and `--sidecar`, at tiny sizes: every operation succeeded and the
 * figures are there; no timing is asserted.
 */
class BenchProcessModesTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int bench(String... args) {
    return new picocli.CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void kSetsTheBucketSizeOfTheInJvmNodesAndEveryOperationSucceeds() {
    int exit = bench("--nodes", "5", "--k", "3", "--ops", "10", "--warmup", "2",
        "--concurrency", "2", "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
    assertThat(json.get("k").getAsInt()).isEqualTo(3);
    for (String op : new String[] {"put", "get"}) {
      assertThat(json.getAsJsonObject(op).get("success_rate").getAsDouble()).isEqualTo(1.0);
    }
  }

  @Test
  void processesRunsTheWorkloadThroughEveryNodeProcessAndEveryOperationSucceeds() {
    int exit = bench("--processes", "--nodes", "3", "--k", "2", "--ops", "6", "--warmup", "2",
        "--concurrency", "2", "--java-options", "-Xmx128m -XX:+UseSerialGC", "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
    assertThat(json.get("mode").getAsString()).isEqualTo("processes");
    assertThat(json.get("k").getAsInt()).isEqualTo(2);
    assertThat(json.get("contacts").getAsLong()).isPositive();
    for (String op : new String[] {"put", "get"}) {
      JsonObject o = json.getAsJsonObject(op);
      assertThat(o.keySet()).contains("p50_ms", "p99_ms", "ops_per_s", "loaded_p50_ms");
      assertThat(o.get("success_rate").getAsDouble()).as(op).isEqualTo(1.0);
    }
    assertThat(json.getAsJsonObject("memory").get("rss_mib").getAsDouble()).isPositive();
  }

  @Test
  void processesThroughOneNodeAsTextPrintsBothRows() {
    int exit = bench("--processes", "--nodes", "2", "--ops", "3", "--warmup", "1",
        "--concurrency", "2", "--through", "one", "--java-options", "-Xmx128m");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("2 `kadmesh node` processes", "node 0's API port",
        "put ", "get ", "1.0000");
  }

  @Test
  void sidecarStartsTheRealNodeUntilServingAndReadsItsRss() {
    int exit = bench("--sidecar", "--runs", "1", "--idle", "0s", "--java-options", "none",
        "--java-options", "-XX:+UseSerialGC -Xmx64m", "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonArray sets = JsonParser.parseString(out.toString()).getAsJsonObject()
        .getAsJsonArray("sets");
    assertThat(sets).hasSize(2);
    JsonObject second = sets.get(1).getAsJsonObject();
    assertThat(second.getAsJsonArray("java_options")).hasSize(2);
    for (var set : sets) {
      JsonObject o = set.getAsJsonObject();
      assertThat(o.getAsJsonObject("start_to_serving_ms").get("median").getAsDouble()).isPositive();
      assertThat(o.getAsJsonObject("cpu_to_serving_ms").get("median").getAsDouble()).isPositive();
      double rss = o.getAsJsonObject("idle_rss_mib").get("median").getAsDouble();
      assertThat(rss).isPositive();
      assertThat(o.getAsJsonObject("idle_rss_anon_mib").get("median").getAsDouble())
          .isPositive().isLessThanOrEqualTo(rss);
    }
  }

  @Test
  void sidecarWithNameEqualsValueBeforeTheOptions_setsTheNodesEnvironment_notAJavaOption() {
    // Passed to java, the word would be taken for the main class and the node would not start.
    int exit = bench("--sidecar", "--runs", "1", "--idle", "0s",
        "--java-options", "MALLOC_ARENA_MAX=2 ROCKSDB_MUSL_LIBC=false -XX:+UseSerialGC", "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonObject set = JsonParser.parseString(out.toString()).getAsJsonObject()
        .getAsJsonArray("sets").get(0).getAsJsonObject();
    assertThat(set.getAsJsonObject("idle_rss_mib").get("median").getAsDouble()).isPositive();
  }

  @Test
  void processesWithSignedRecordsOrAnUnknownThroughIsAUsageError() {
    assertThat(bench("--processes", "--records", "signed")).isEqualTo(2);
    assertThat(err.toString()).contains("--processes runs plain records only");
    assertThat(bench("--processes", "--through", "some")).isEqualTo(2);
    assertThat(err.toString()).contains("--through must be all or one: some");
  }
}
