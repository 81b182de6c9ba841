package io.kadmesh.cli.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the bench measured for one kind of operation (or for the floor): latencies one at a time
 * and under load, successes, throughput, and the peer RPCs, hops and checks of each sequential
 * operation. Latencies are kept in nanoseconds, 3 significant digits, up to a minute.
 */
final class OperationStats {
  /**
   * What operations caused across the mesh: Ed25519 verifications (the client's and every
   * node's), STOREs sent, and FIND_VALUE answers that carried a record.
   */
  record Checks(long verifications, long stores, long recordAnswers) {
    static final Checks NONE = new Checks(0, 0, 0);

    Checks minus(Checks before) {
      return new Checks(verifications - before.verifications, stores - before.stores,
          recordAnswers - before.recordAnswers);
    }
  }

  private static final long MAX_NANOS = 60_000_000_000L;

  final Histogram sequential = new ConcurrentHistogram(MAX_NANOS, 3);
  final Histogram loaded = new ConcurrentHistogram(MAX_NANOS, 3);
  private final int[] rpcs;
  private final int[] hops;
  private final int[] verifications;
  private int traced;
  private Checks sequentialChecks = Checks.NONE;
  private long succeeded;
  private long failed;
  private double opsPerSecond = Double.NaN;
  private long rpcsInLoadedPhase = -1;
  private long loadedOps;
  private long cpuNanosInLoadedPhase = -1;

  OperationStats(int ops) {
    rpcs = new int[ops];
    hops = new int[ops];
    verifications = new int[ops];
  }

  void recordSequential(long nanos, boolean ok, LookupTracer.Cost cost, long rpcsDuring) {
    recordSequential(nanos, ok, cost, rpcsDuring, Checks.NONE);
  }

  void recordSequential(long nanos, boolean ok, LookupTracer.Cost cost, long rpcsDuring,
      Checks checks) {
    sequential.recordValue(Math.min(MAX_NANOS, Math.max(1, nanos)));
    outcome(ok);
    if (traced < rpcs.length) {
      rpcs[traced] = (int) rpcsDuring;
      hops[traced] = cost.hops();
      verifications[traced] = (int) checks.verifications();
      traced++;
    }
  }

  void recordLoaded(long nanos, boolean ok) {
    loaded.recordValue(Math.min(MAX_NANOS, Math.max(1, nanos)));
    outcome(ok);
  }

  synchronized void outcome(boolean ok) {
    if (ok) succeeded++;
    else failed++;
  }

  void loadedPhase(long ops, long nanos, long rpcsSent) {
    loadedOps = ops;
    opsPerSecond = ops * 1e9 / nanos;
    rpcsInLoadedPhase = rpcsSent;
  }

  /** The process CPU time the loaded phase used, all threads (-1: not measured). */
  void loadedCpu(long cpuNanos) {
    cpuNanosInLoadedPhase = cpuNanos;
  }

  /**
   * Milliseconds of process CPU per operation under load (the whole JVM: client, every node,
   * GC), or NaN where it was not measured (the nodes ran in other processes).
   */
  double cpuMsPerOpLoaded() {
    return loadedOps == 0 || cpuNanosInLoadedPhase < 0 ? Double.NaN
        : cpuNanosInLoadedPhase / 1e6 / loadedOps;
  }

  synchronized double successRate() {
    long all = succeeded + failed;
    return all == 0 ? Double.NaN : (double) succeeded / all;
  }

  synchronized long failures() {
    return failed;
  }

  double opsPerSecond() {
    return opsPerSecond;
  }

  /** Mean peer RPCs per operation, sequential phase (everything the mesh sent meanwhile). */
  double rpcsPerOp() {
    return mean(rpcs);
  }

  double rpcsPerOpP50() {
    return percentile(rpcs, 50);
  }

  /** Mean peer RPCs per operation under load (every RPC the mesh sent in that phase). */
  double rpcsPerOpLoaded() {
    return loadedOps == 0 ? Double.NaN : (double) rpcsInLoadedPhase / loadedOps;
  }

  double hopsP50() {
    return percentile(hops, 50);
  }

  double hopsP95() {
    return percentile(hops, 95);
  }

  double hopsMean() {
    return mean(hops);
  }

  /**
   * The checks of the whole sequential phase, from its first operation's start to its last one's
   * end: the means below divide them by the operations, so that work an operation leaves behind
   * (a late answer, a read repair) still counts, in the next operation's span.
   */
  void sequentialPhase(Checks checks) {
    sequentialChecks = checks;
  }

  /** Ed25519 verifications per sequential operation, across the mesh and the client. */
  double verificationsPerOp() {
    return perOp(sequentialChecks.verifications());
  }

  /** The median of the verifications counted within each operation's own span. */
  double verificationsPerOpP50() {
    return percentile(verifications, 50);
  }

  /** STOREs sent per sequential operation. */
  double storesPerOp() {
    return perOp(sequentialChecks.stores());
  }

  /** FIND_VALUE answers that carried a record, per sequential operation. */
  double recordAnswersPerOp() {
    return perOp(sequentialChecks.recordAnswers());
  }

  private double perOp(long total) {
    return traced == 0 ? Double.NaN : (double) total / traced;
  }

  static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
  }

  static double maxMs(Histogram h) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1e6;
  }

  private double mean(int[] values) {
    return Percentiles.mean(values, traced);
  }

  private double percentile(int[] values, double p) {
    return Percentiles.of(values, traced, p);
  }
}
