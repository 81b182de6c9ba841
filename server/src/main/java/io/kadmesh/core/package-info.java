/**
 * The Kademlia core's vocabulary, shared by every package of the node: {@link NodeId}, a point in
 * the 256-bit ID space that names nodes and keys alike and measures XOR distance (paper §2.1);
 * {@link Contact}, an ID with the peer address it advertises (the paper's contact, §2.2);
 * {@link ValueRecord}, a value or a tombstone with its {@link Version} (last writer wins) and
 * absolute expiry; {@link NodeConfig}, every tunable with its default (k and α of §2.2–2.3); and
 * {@link DhtException}, a failure by reason, turned into a gRPC status only at the edge.
 *
 * <p>Two interfaces are the core's edges, so that it runs over gRPC, in memory or in a simulator
 * alike: {@link PeerTransport}, the four RPCs of §2.3, and {@link Scheduler}, its only clock and
 * timer ({@link SystemScheduler} in production, {@link VirtualScheduler} on virtual time).
 *
 * <p>Layering: the bottom of the node. Depends on no other kadmesh package and never on
 * {@code io.grpc}; routing, lookup, storage, node and sim all build on it.
 */
package io.kadmesh.core;
