/**
 * The admin port and the node's Prometheus metrics: {@link io.kadmesh.server.metrics.AdminServer}
 * (a registry per node, the HTTP exporter) and {@link io.kadmesh.server.metrics.NodeGauges} (the
 * node's state read at scrape time). The calls each gRPC port handles are counted in the gRPC
 * layer ({@code server.grpc.RpcMetrics}), the one package that imports io.grpc.
 */
package io.kadmesh.server.metrics;
