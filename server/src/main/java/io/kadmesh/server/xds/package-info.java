/**
 * xDS on the API port: the node as the control plane of gRPC's proxyless service mesh. {@link
 * io.kadmesh.server.xds.XdsServer} serves Envoy's AggregatedDiscoveryService (state-of-the-world,
 * v3) through java-control-plane's discovery server; {@code XdsResources} builds a service's
 * listener, cluster and load assignment (zone metadata → locality, weight → load-balancing
 * weight); {@code ServiceWatches} watches a service through the node's own Watch while some stream
 * asks for it, within a bound; {@code XdsResourceCache} holds the resources and answers each request
 * once all it names are there; {@code XdsStreams} and {@code XdsCallbacks} tie requests to streams.
 *
 * <p>Layering: beside {@link io.kadmesh.server.grpc}, a gRPC-layer package: it calls the core
 * ({@link io.kadmesh.core.node.KademliaNode#watch}) directly, never the node's own Dht service.
 */
package io.kadmesh.server.xds;
