package io.kadmesh.server.metrics;

import io.kadmesh.core.node.NodeMetrics;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/** The work the node reports ({@link NodeMetrics}), as Prometheus families of one registry. */
public final class PrometheusNodeMetrics implements NodeMetrics {
  private final Histogram lookupHops;
  private final Histogram lookupRpcs;

  public PrometheusNodeMetrics(PrometheusRegistry registry) {
    lookupHops = Histogram.builder()
        .name("kadmesh_lookup_hops")
        .help("Hops of each lookup this node ran (the longest chain of answers it waited on), by type.")
        .labelNames("type")
        .classicUpperBounds(1, 2, 3, 4, 5, 6, 8, 10, 15, 20)
        .register(registry);
    lookupRpcs = Histogram.builder()
        .name("kadmesh_lookup_rpcs")
        .help("Requests each lookup this node ran sent to peers, by type.")
        .labelNames("type")
        .classicUpperBounds(1, 3, 5, 10, 20, 30, 50, 75, 100, 200)
        .register(registry);
  }

  @Override
  public void lookupFinished(LookupType type, int hops, int rpcs) {
    String label = type.name().toLowerCase(Locale.ROOT);
    lookupHops.labelValues(label).observe(hops);
    lookupRpcs.labelValues(label).observe(rpcs);
  }
}
