/**
 * A network without sockets: {@link InMemoryNetwork} connects unmodified {@link
 * io.kadmesh.core.node.KademliaNode}s through in-memory {@link io.kadmesh.core.PeerTransport}s on
 * a shared scheduler, with per-message latency, seeded loss, nodes that go silent or refuse, and
 * partitions. On a {@link io.kadmesh.core.VirtualScheduler} a run is deterministic for a seed, so
 * whole meshes of thousands of nodes run through hours of churn in seconds.
 *
 * <p>It is the transport of the durability scenarios and of {@code kadmesh simulate}: the same
 * core that serves gRPC in production, over a network a test controls. Requests reach a node
 * through a {@link PeerHandler}, which a simulation may wrap to make a node lie to its peers.
 *
 * <p>Layering: beside the gRPC layer rather than under the node: it depends on {@link
 * io.kadmesh.core} and {@link io.kadmesh.core.node}, and nothing in the node depends on it.
 */
package io.kadmesh.core.sim;
