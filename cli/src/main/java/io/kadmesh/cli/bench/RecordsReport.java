package io.kadmesh.cli.bench;

import static io.kadmesh.cli.bench.MeasurementCommand.f;
import static io.kadmesh.cli.bench.MeasurementCommand.round;

import com.google.gson.JsonObject;
import io.kadmesh.core.RecordKind;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures {@code kadmesh bench --records} adds, as text and as JSON: each kind's operations
 * with the checks they caused across the mesh, and the proofs' cost alone ({@link CryptoCosts}).
 */
final class RecordsReport {
  private static final String CRYPTO_WHAT = "timed call by call before the mesh started: "
      + "SignedPayload.sign and verify of a record whose value is value_size bytes (payload "
      + "layout, JCA look-up, public key decoding for verify) and SHA-256 of a value_size-byte "
      + "value (a content record's key)";

  /** One figure of {@link CryptoCosts}: its JSON prefix, its name in the text. */
  private record Figure(String key, String name, Histogram latencies) {}

  private RecordsReport() {}

  /** The name of a kind as --records takes it. */
  static String label(RecordKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  static JsonObject kindJson(BenchRun.KindResult k, double floorP50, int concurrency) {
    JsonObject o = new JsonObject();
    o.addProperty("kind", label(k.kind()));
    o.addProperty("what", Workload.describe(k.kind()));
    o.addProperty("loaded_by", loadedBy(k.kind(), concurrency));
    for (Map.Entry<Workload.Op, OperationStats> e : k.ops().entrySet()) {
      JsonObject op = BenchCommand.opJson(e.getValue(), floorP50);
      OperationStats s = e.getValue();
      op.addProperty("verifications_per_op", round(s.verificationsPerOp()));
      op.addProperty("verifications_per_op_p50", s.verificationsPerOpP50());
      op.addProperty("stores_per_op", round(s.storesPerOp()));
      op.addProperty("record_answers_per_op", round(s.recordAnswersPerOp()));
      o.add(e.getKey().label, op);
    }
    return o;
  }

  static JsonObject cryptoJson(CryptoCosts.Figures c) {
    JsonObject o = new JsonObject();
    o.addProperty("what", CRYPTO_WHAT);
    o.addProperty("provider", c.provider());
    o.addProperty("value_size", c.valueSize());
    o.addProperty("calls", c.calls());
    o.addProperty("warmup", c.warmup());
    for (Figure fig : figures(c)) {
      o.addProperty(fig.key() + "_p50_us", round(CryptoCosts.micros(fig.latencies(), 50)));
      o.addProperty(fig.key() + "_p99_us", round(CryptoCosts.micros(fig.latencies(), 99)));
    }
    return o;
  }

  private static List<Figure> figures(CryptoCosts.Figures c) {
    return List.of(new Figure("ed25519_sign", "Ed25519 sign", c.sign()),
        new Figure("ed25519_verify", "Ed25519 verify", c.verify()),
        new Figure("sha256", "SHA-256", c.sha256()));
  }

  static String loadedBy(RecordKind kind, int concurrency) {
    return kind == RecordKind.PLAIN
        ? concurrency + " asynchronous calls in flight"
        : concurrency + " client threads, each blocking on one call (the client has no "
            + "asynchronous signed or content calls)";
  }

  /** Ed25519 verifications, STOREs and record-carrying answers per operation, one at a time. */
  static void checks(StringBuilder b, BenchRun.Result r, int width) {
    b.append(f("checks per operation, one at a time (each phase's counts over its %d operations, "
        + "p50 within one operation's span; every node and the client):%n", r.settings().ops()));
    b.append(f("%-" + width + "s %18s %12s %24s%n", "", "Ed25519 verifies", "STOREs",
        "FindValue answers with"));
    b.append(f("%-" + width + "s %18s %12s %24s%n", "", "mean (p50)", "", "a record"));
    for (BenchRun.KindResult k : r.kinds()) {
      for (Map.Entry<Workload.Op, OperationStats> e : k.ops().entrySet()) {
        OperationStats o = e.getValue();
        b.append(f("%-" + width + "s %18s %12.1f %24.1f%n",
            label(k.kind()) + " " + e.getKey().label,
            f("%.1f (%.0f)", o.verificationsPerOp(), o.verificationsPerOpP50()),
            o.storesPerOp(), o.recordAnswersPerOp()));
      }
    }
    b.append(f("  where a signed record is verified: by the API node on PutSigned; by the replica "
        + "receiving each STORE; by a node serving, receiving or reading a record it has not "
        + "verified before (each node remembers the signatures that verified); by the client on "
        + "each record it reads. A content record's SHA-256 is checked at the same points, every "
        + "time (not counted)%n"));
  }

  static void crypto(StringBuilder b, CryptoCosts.Figures c) {
    b.append(f("proofs alone (%d calls each after %d unmeasured, before the mesh started; "
        + "provider %s):", c.calls(), c.warmup(), c.provider()));
    String sep = " ";
    for (Figure fig : figures(c)) {
      b.append(f("%s%s p50 %.1f us p99 %.1f us", sep, fig.name(),
          CryptoCosts.micros(fig.latencies(), 50), CryptoCosts.micros(fig.latencies(), 99)));
      sep = "; ";
    }
    b.append(f(" (a record with a %d-byte value: sign and verify include the payload's layout "
        + "and the JCA look-up, verify the public key's decoding)%n", c.valueSize()));
  }
}
