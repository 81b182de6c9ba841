package io.kadmesh.server.metrics;

import io.kadmesh.core.node.BucketStats;
import io.kadmesh.core.node.KademliaNode;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The node's state as gauges read at scrape time: what it holds and what its routing table knows,
 * the same figures GetNodeInfo reports.
 */
public final class NodeGauges {
  private NodeGauges() {}

  public static void register(PrometheusRegistry registry, KademliaNode node) {
    GaugeWithCallback.builder()
        .name("kadmesh_records")
        .help("Records this node holds.")
        .callback(cb -> cb.call(node.store().recordCount()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("kadmesh_stored_bytes")
        .help("Bytes of the records this node holds (keys and values, as the store limits count them).")
        .callback(cb -> cb.call(node.store().storedBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("kadmesh_routing_contacts")
        .help("Contacts in the routing table.")
        .callback(cb -> cb.call(node.routingTable().size()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("kadmesh_routing_live_contacts")
        .help("Contacts in the routing table that have not failed since they last answered.")
        .callback(cb -> cb.call(node.routingTable().liveSize()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("kadmesh_routing_bucket_contacts")
        .help("Contacts in each non-empty k-bucket, by index (the prefix length shared with this node's ID).")
        .labelNames("bucket")
        .callback(cb -> {
          for (BucketStats b : node.bucketStats()) {
            cb.call(b.contacts(), Integer.toString(b.index()));
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("kadmesh_routing_replacements")
        .help("Contacts waiting in the k-buckets' replacement caches.")
        .callback(cb -> cb.call(node.bucketStats().stream().mapToInt(BucketStats::replacements).sum()))
        .register(registry);
  }
}
