package io.kadmesh.server.metrics;

import io.kadmesh.core.node.KademliaNode;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.IntSupplier;

/**
 * Watch's state as gauges read at scrape time: the subscriptions this node holds as a replica, and
 * the Watch streams applications hold open on its API port.
 */
public final class WatchGauges {
  private WatchGauges() {}

  /** {@code openStreams}: the Dht.Watch streams open now (the gRPC layer counts them). */
  public static void register(PrometheusRegistry registry, KademliaNode node, IntSupplier openStreams) {
    GaugeWithCallback.builder()
        .name("kadmesh_watch_subscriptions")
        .help("Watch subscriptions this node holds as a replica of the watched keys (expired ones until dropped).")
        .callback(cb -> cb.call(node.watchSubscriptions()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("kadmesh_watch_streams")
        .help("Dht.Watch streams open on this node's API port.")
        .callback(cb -> cb.call(openStreams.getAsInt()))
        .register(registry);
  }
}
