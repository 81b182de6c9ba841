package io.kadmesh.cli.bench;

import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The proofs of signed and content records on their own, on this machine: Ed25519 sign and verify
 * of a record's payload through {@link SignedPayload} (the calls the client and the nodes make,
 * payload layout and JCA look-up included), and SHA-256 of a value through {@link RecordKeys}
 * (a content record's key). Each is timed call by call, after a warm-up for the JIT.
 */
final class CryptoCosts {
  private static final long MAX_NANOS = 1_000_000_000L;

  /**
   * Per-call latencies, in nanoseconds, of {@code calls} calls each after {@code warmup}
   * unmeasured ones, and the JCA provider that did the Ed25519 work.
   */
  record Figures(int valueSize, int calls, int warmup, String provider, Histogram sign,
      Histogram verify, Histogram sha256) {}

  private CryptoCosts() {}

  /**
   * Times sign, verify and SHA-256 of a {@code valueSize}-byte value, {@code calls} each after
   * half as many unmeasured.
   */
  static Figures measure(int valueSize, KeyPair owner, long seed, int calls) {
    int warmup = calls / 2;
    byte[] value = new byte[valueSize];
    new Random(seed).nextBytes(value);
    byte[] publicKey = Ed25519Keys.raw(owner.getPublic());
    SignedPayload payload = new SignedPayload("bench-" + seed + "-crypto", 1, value,
        4_000_000_000L, false);
    byte[] signature = payload.sign(owner.getPrivate());
    Histogram sign = time(() -> payload.sign(owner.getPrivate()).length == signature.length,
        calls, warmup);
    Histogram verify = time(() -> payload.verify(publicKey, signature), calls, warmup);
    Histogram sha256 = time(() -> RecordKeys.contentKey(value).length == RecordKeys.KEY_BYTES,
        calls, warmup);
    return new Figures(valueSize, calls, warmup, provider(), sign, verify, sha256);
  }

  private static Histogram time(BooleanSupplier call, int calls, int warmup) {
    for (int i = 0; i < warmup; i++) check(call.getAsBoolean());
    Histogram h = new Histogram(MAX_NANOS, 3);
    for (int i = 0; i < calls; i++) {
      long t0 = System.nanoTime();
      boolean ok = call.getAsBoolean();
      h.recordValue(Math.min(MAX_NANOS, Math.max(1, System.nanoTime() - t0)));
      check(ok);
    }
    return h;
  }

  private static void check(boolean ok) {
    if (!ok) throw new IllegalStateException("a timed signature or hash came out wrong");
  }

  private static String provider() {
    try {
      return Signature.getInstance("Ed25519").getProvider().getName();
    } catch (GeneralSecurityException e) {
      return "none";
    }
  }

  /** A percentile in microseconds. */
  static double micros(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e3;
  }
}
