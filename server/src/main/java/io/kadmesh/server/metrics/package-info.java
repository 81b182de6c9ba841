/**
 * The admin port and the node's Prometheus metrics: {@link io.kadmesh.server.metrics.AdminServer}
 * (a registry per node, the HTTP exporter), {@link io.kadmesh.server.metrics.NodeGauges} (the
 * node's state read at scrape time) and {@link io.kadmesh.server.metrics.PrometheusNodeMetrics}
 * (the work the core reports through {@code core.node.NodeMetrics}: lookups, upkeep, refusals).
 * Requests sent to peers are counted in the gRPC layer too ({@code server.grpc.PeerClientMetrics}). The calls each gRPC port handles are counted in the gRPC
 * layer ({@code server.grpc.RpcMetrics}), the one package that imports io.grpc.
 */
package io.kadmesh.server.metrics;
