/**
 * The admin port and the node's Prometheus metrics: {@link io.kadmesh.server.metrics.AdminServer}
 * (a registry per node, the HTTP exporter), {@link io.kadmesh.server.metrics.NodeGauges} (state
 * read at scrape time) and {@link io.kadmesh.server.metrics.RpcMetrics} (calls per port).
 */
package io.kadmesh.server.metrics;
