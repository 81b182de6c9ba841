package io.kadmesh.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * `kadmesh bench` at a tiny size: the JSON has its fields and every operation succeeded, with
 * plain records, with signed and content records beside them, and with the service mesh (every
 * resolve exact, every change's event received); no timing is asserted.
 */
class BenchCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int bench(String... args) {
    CommandLine cli = new CommandLine(new BenchCommand())
        .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void tinyBenchPrintsEveryFieldAndAllOperationsSucceed() {
    int exit = bench("--nodes", "4", "--ops", "20", "--warmup", "5", "--concurrency", "4",
        "--seed", "7", "--json");

    assertThat(exit).isZero();
    JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
    for (String op : new String[] {"put", "get"}) {
      JsonObject o = json.getAsJsonObject(op);
      assertThat(o.keySet()).contains("p50_ms", "p95_ms", "p99_ms", "ops_per_s", "success_rate",
          "rpcs_per_op", "hops_p50");
      assertThat(o.get("success_rate").getAsDouble()).isEqualTo(1.0);
      assertThat(o.get("rpcs_per_op").getAsDouble()).isPositive();
      // The mesh, the clients and the loop all ran in this JVM: some CPU per operation.
      assertThat(o.get("cpu_ms_per_op_loaded").getAsDouble()).isPositive();
    }
    JsonObject floor = json.getAsJsonObject("floor");
    assertThat(floor.keySet()).contains("p50_ms", "p99_ms");
    assertThat(floor.get("success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(json.getAsJsonObject("memory").keySet()).contains("heap_per_node_kib", "rss_mib");
    assertThat(json.keySet()).doesNotContain("records", "crypto");
  }

  @Test
  void noMetricsRunsTheWorkloadAndSaysSoInTheJsonAndTheText() {
    int exit = bench("--nodes", "4", "--ops", "10", "--warmup", "2", "--concurrency", "2",
        "--seed", "7", "--no-metrics", "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
    assertThat(json.get("metrics").getAsBoolean()).isFalse();
    for (String op : new String[] {"put", "get"}) {
      assertThat(json.getAsJsonObject(op).get("success_rate").getAsDouble()).isEqualTo(1.0);
    }
    out.getBuffer().setLength(0);
    assertThat(bench("--nodes", "2", "--ops", "2", "--warmup", "0", "--concurrency", "1",
        "--no-metrics")).isZero();
    assertThat(out.toString()).contains("metrics off").contains("process CPU under load");
  }

  @Test
  void noMetricsWithProcessesOrSidecarIsAUsageError() {
    assertThat(bench("--processes", "--no-metrics")).isEqualTo(2);
    assertThat(err.toString()).contains("--no-metrics runs with the nodes in this JVM only");
    assertThat(bench("--sidecar", "--no-metrics")).isEqualTo(2);
  }

  @Test
  void recordsPlainSignedContentRunsEachKindAndPrintsTheCryptoFiguresAndVerificationCounts() {
    int exit = bench("--nodes", "4", "--ops", "8", "--warmup", "2", "--concurrency", "2",
        "--seed", "7", "--records", "plain,signed,content", "--crypto-calls", "200", "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonObject json = JsonParser.parseString(out.toString()).getAsJsonObject();
    JsonArray records = json.getAsJsonArray("records");
    assertThat(records).hasSize(3);
    JsonObject plain = records.get(0).getAsJsonObject();
    JsonObject signed = records.get(1).getAsJsonObject();
    JsonObject content = records.get(2).getAsJsonObject();
    assertThat(plain.get("kind").getAsString()).isEqualTo("plain");
    assertThat(signed.get("kind").getAsString()).isEqualTo("signed");
    assertThat(content.get("kind").getAsString()).isEqualTo("content");
    assertThat(signed.get("what").getAsString()).contains("GetSigned", "PutSigned", "expected_seq");
    for (JsonObject kind : new JsonObject[] {plain, signed, content}) {
      for (String op : kind == signed ? new String[] {"put", "cas", "get"}
          : new String[] {"put", "get"}) {
        JsonObject o = kind.getAsJsonObject(op);
        assertThat(o.get("success_rate").getAsDouble()).as(kind.get("kind") + " " + op)
            .isEqualTo(1.0);
        assertThat(o.keySet()).contains("p50_ms", "p99_ms", "ops_per_s", "verifications_per_op",
            "verifications_per_op_p50", "stores_per_op", "record_answers_per_op");
      }
    }
    // Every replica verifies a signed record's STORE; a read is verified at least by the client
    // (the nodes remember what they verified before).
    JsonObject signedPut = signed.getAsJsonObject("put");
    assertThat(signedPut.get("stores_per_op").getAsDouble()).isPositive();
    assertThat(signedPut.get("verifications_per_op").getAsDouble())
        .isGreaterThan(signedPut.get("stores_per_op").getAsDouble());
    JsonObject signedGet = signed.getAsJsonObject("get");
    assertThat(signedGet.get("record_answers_per_op").getAsDouble()).isPositive();
    assertThat(signedGet.get("verifications_per_op").getAsDouble()).isGreaterThanOrEqualTo(1.0);
    for (JsonObject kind : new JsonObject[] {plain, content}) {
      assertThat(kind.getAsJsonObject("put").get("verifications_per_op").getAsDouble()).isZero();
      assertThat(kind.getAsJsonObject("get").get("verifications_per_op").getAsDouble()).isZero();
    }
    JsonObject crypto = json.getAsJsonObject("crypto");
    for (String figure : new String[] {"ed25519_sign", "ed25519_verify", "sha256"}) {
      assertThat(crypto.get(figure + "_p50_us").getAsDouble()).as(figure).isPositive();
      assertThat(crypto.get(figure + "_p99_us").getAsDouble()).as(figure).isPositive();
    }
    assertThat(crypto.get("value_size").getAsInt()).isEqualTo(256);
    assertThat(crypto.get("calls").getAsInt()).isEqualTo(200);
    assertThat(json.keySet()).doesNotContain("put", "get");
  }

  @Test
  void recordsSignedAsTextPrintsTheOperationsTheChecksAndTheCryptoFigures() {
    int exit = bench("--nodes", "3", "--ops", "4", "--warmup", "1", "--concurrency", "2",
        "--records", "signed", "--crypto-calls", "100");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("signed put", "signed cas", "signed get",
        "Ed25519 verifies", "Ed25519 sign p50", "Ed25519 verify p50", "SHA-256 p50")
        .doesNotContain("plain put");
  }

  @Test
  void meshAtATinySizeResolvesEveryServiceAndEveryChangeReachesItsWatcher() {
    int exit = bench("--nodes", "4", "--ops", "6", "--warmup", "2", "--concurrency", "2",
        "--seed", "7", "--mesh", "--services", "3", "--endpoints", "2", "--watchers", "3",
        "--changes", "2", "--json");

    assertThat(exit).as(err.toString()).isZero();
    JsonObject mesh = JsonParser.parseString(out.toString()).getAsJsonObject()
        .getAsJsonObject("mesh");
    assertThat(mesh.get("endpoints_published").getAsInt()).isEqualTo(6);
    JsonObject resolve = mesh.getAsJsonObject("resolve");
    assertThat(resolve.keySet()).contains("p50_ms", "p99_ms", "max_ms", "p50_x_floor",
        "ops_per_s", "get_p50_ms", "p50_x_get", "rpcs_per_op");
    // Each resolve answered exactly the endpoints announced, one at a time and under load.
    assertThat(resolve.get("success_rate").getAsDouble()).isEqualTo(1.0);
    assertThat(resolve.get("rpcs_per_op").getAsDouble()).isPositive();
    JsonObject watch = mesh.getAsJsonObject("watch");
    assertThat(watch.get("service_watchers").getAsInt()).isEqualTo(2);
    assertThat(watch.get("key_watchers").getAsInt()).isEqualTo(1);
    assertThat(watch.get("not_synced").getAsInt()).isZero();
    assertThat(watch.get("round_trip_ms").getAsDouble()).isPositive();
    // Two rounds: each one changes each of the two services twice and the key once.
    for (String change : new String[] {"announce", "withdraw", "put"}) {
      JsonObject c = watch.getAsJsonObject(change);
      int issued = change.equals("put") ? 2 : 4;
      assertThat(c.get("issued").getAsInt()).as(change).isEqualTo(issued);
      assertThat(c.get("call_failures").getAsInt()).as(change).isZero();
      assertThat(c.get("missed").getAsInt()).as(change).isZero();
      assertThat(c.get("events").getAsInt()).as(change).isEqualTo(issued);
      assertThat(c.get("before_call_returned").getAsInt()).as(change).isBetween(0, issued);
      assertThat(c.keySet()).contains("p50_ms", "p99_ms", "max_ms", "p50_round_trips",
          "p99_round_trips", "call_p50_ms");
      assertThat(c.get("p50_ms").getAsDouble()).as(change).isPositive();
    }
  }

  @Test
  void meshAsTextPrintsTheResolveRowBesideTheGetAndEachChangesRow() {
    int exit = bench("--nodes", "3", "--ops", "3", "--warmup", "1", "--concurrency", "2",
        "--mesh", "--services", "1", "--endpoints", "1", "--watchers", "2", "--changes", "1");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("service mesh: 1 services x 1 endpoints", "resolve ",
        "the get p50 of this run", "announce (ADDED)", "withdraw (REMOVED)", "put (VALUE)",
        "change calls failed: 0");
  }

  @Test
  void meshWithMoreServiceWatchersThanServicesIsAUsageError() {
    int exit = bench("--mesh", "--services", "2", "--watchers", "6");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--watchers 6 needs 3 services to watch");
  }

  @Test
  void recordsOfAnUnknownKindIsAUsageError() {
    int exit = bench("--records", "plain,sealed");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--records must each be plain, signed or content: sealed");
  }
}
