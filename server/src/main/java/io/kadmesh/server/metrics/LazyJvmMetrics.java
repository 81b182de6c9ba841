package io.kadmesh.server.metrics;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.registry.PrometheusScrapeRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.function.Predicate;

/**
 * The JVM's and the process's metrics, set up on the first scrape rather than when the node starts.
 *
 * <p>Why: their collectors load some 300 classes (JMX, the management beans) and start a thread;
 * a sidecar that nobody scrapes would carry them for nothing, and every start would pay for them
 * before it serves. A scrape sees the same metrics as if they had been registered at start.
 */
final class LazyJvmMetrics implements MultiCollector {
  private volatile PrometheusRegistry metrics;

  /** The registry the JVM's collectors are in, made on first use. */
  private PrometheusRegistry metrics() {
    PrometheusRegistry m = metrics;
    if (m == null) {
      synchronized (this) {
        m = metrics;
        if (m == null) {
          m = new PrometheusRegistry();
          JvmMetrics.builder().register(m);
          metrics = m;
        }
      }
    }
    return m;
  }

  @Override
  public MetricSnapshots collect() {
    return metrics().scrape();
  }

  @Override
  public MetricSnapshots collect(PrometheusScrapeRequest request) {
    return metrics().scrape(request);
  }

  @Override
  public MetricSnapshots collect(Predicate<String> includedNames) {
    return metrics().scrape(includedNames);
  }

  @Override
  public MetricSnapshots collect(Predicate<String> includedNames, PrometheusScrapeRequest request) {
    return metrics().scrape(includedNames, request);
  }
}
