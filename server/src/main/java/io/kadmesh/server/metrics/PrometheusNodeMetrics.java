package io.kadmesh.server.metrics;

import io.kadmesh.core.node.NodeMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/** The work the node reports ({@link NodeMetrics}), as Prometheus families of one registry. */
public final class PrometheusNodeMetrics implements NodeMetrics {
  private final Histogram lookupHops;
  private final Histogram lookupRpcs;
  private final Counter republished;
  private final Counter handedOff;
  private final Counter readRepairs;
  private final Counter storeRefusals;
  private final Counter watchNotifications;
  private final Counter watchResyncs;

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
    republished = Counter.builder()
        .name("kadmesh_republished_records_total")
        .help("Records the hourly republish wrote again to the closest nodes (paper §2.5).")
        .register(registry);
    handedOff = Counter.builder()
        .name("kadmesh_handed_off_records_total")
        .help("Records handed to nodes now among the closest to their keys (a newcomer, or the"
            + " others when this node leaves) that kept them.")
        .register(registry);
    readRepairs = Counter.builder()
        .name("kadmesh_read_repairs_total")
        .help("Replicas a read found holding an older record (or none) and wrote the newest to.")
        .register(registry);
    storeRefusals = Counter.builder()
        .name("kadmesh_store_refusals_total")
        .help("STOREs from peers this node refused, by reason: full, sender_quota, far_key,"
            + " too_large, invalid, service_quota.")
        .labelNames("reason")
        .register(registry);
    watchNotifications = Counter.builder()
        .name("kadmesh_watch_notifications_total")
        .help("Notifications of a new version this node owed its watch subscribers as a replica,"
            + " by result: sent (answered), failed (error or timeout), dropped (too many in flight).")
        .labelNames("result")
        .register(registry);
    watchResyncs = Counter.builder()
        .name("kadmesh_watch_resyncs_total")
        .help("Times a watch on this node may have missed a change and sent RESYNC with the whole state.")
        .register(registry);
  }

  @Override
  public void lookupFinished(LookupType type, int hops, int rpcs) {
    String label = type.name().toLowerCase(Locale.ROOT);
    lookupHops.labelValues(label).observe(hops);
    lookupRpcs.labelValues(label).observe(rpcs);
  }

  @Override
  public void republished(int records) {
    republished.inc(records);
  }

  @Override
  public void handedOff(int records) {
    handedOff.inc(records);
  }

  @Override
  public void readRepaired(int replicas) {
    readRepairs.inc(replicas);
  }

  @Override
  public void notified(NotifyResult result) {
    watchNotifications.labelValues(result.name().toLowerCase(Locale.ROOT)).inc();
  }

  @Override
  public void resynced() {
    watchResyncs.inc();
  }

  @Override
  public void storeRefused(StoreRefusal reason) {
    storeRefusals.labelValues(reason.name().toLowerCase(Locale.ROOT)).inc();
  }
}
