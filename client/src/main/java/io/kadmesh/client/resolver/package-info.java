/**
 * {@code kadmesh:///SERVICE} channel targets for grpc-java: {@link
 * io.kadmesh.client.resolver.KadmeshNameResolverProvider} (found through META-INF/services) makes a
 * resolver that watches the service on a node ({@code Dht.Watch}) and hands gRPC's load balancer
 * one address group per announced endpoint, kept current as endpoints come and go.
 *
 * <pre>{@code
 * ManagedChannel orders =
 *     Grpc.newChannelBuilder("kadmesh:///orders", InsecureChannelCredentials.create())
 *         .defaultLoadBalancingPolicy("round_robin")
 *         .build();
 * }</pre>
 *
 * <p>Implementation notes: the node is dialled in plaintext (a loopback API port); endpoint
 * addresses that are host names are looked up once per event, on the watch's callback thread; an
 * empty set is reported as UNAVAILABLE, and gRPC keeps connections it already has on a resolver
 * error, so calls stop reaching a backend once another replaces it or it goes away.
 */
package io.kadmesh.client.resolver;
