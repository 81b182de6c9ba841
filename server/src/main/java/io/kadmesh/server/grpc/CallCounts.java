package io.kadmesh.server.grpc;

import io.grpc.Status;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A calls counter by method and status code and a duration histogram by method, with each label
 * set's data point looked up once and kept: the client's own lookup builds a list of the label
 * values and hashes it on every call, which every peer RPC paid twice on each side.
 */
final class CallCounts {
  private static final Status.Code[] CODES = Status.Code.values();

  private final Counter requests;
  private final Histogram duration;
  private final ConcurrentHashMap<String, ByMethod> methods = new ConcurrentHashMap<>();

  CallCounts(Counter requests, Histogram duration) {
    this.requests = requests;
    this.duration = duration;
  }

  /** Counts one call of {@code method} that ended with {@code code} after {@code nanos}. */
  void record(String method, Status.Code code, long nanos) {
    ByMethod m = methods.get(method);
    if (m == null) m = methods.computeIfAbsent(method, ByMethod::new);
    m.counter(code).inc();
    m.duration.observe(nanos / 1e9);
  }

  /** One method's data points; a code's counter is made at its first call (the exposition lists only codes seen). */
  private final class ByMethod {
    final String method;
    final DistributionDataPoint duration;
    /** By code ordinal; filled lazily: a race makes the same data point twice, which is harmless. */
    final CounterDataPoint[] byCode = new CounterDataPoint[CODES.length];

    ByMethod(String method) {
      this.method = method;
      this.duration = CallCounts.this.duration.labelValues(method);
    }

    CounterDataPoint counter(Status.Code code) {
      CounterDataPoint c = byCode[code.ordinal()];
      if (c == null) {
        c = requests.labelValues(method, code.name());
        byCode[code.ordinal()] = c;
      }
      return c;
    }
  }
}
