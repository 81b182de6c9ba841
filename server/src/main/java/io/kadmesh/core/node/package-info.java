/**
 * One Kademlia node, composed: {@link KademliaNode} ties a routing table, lookups and a record
 * store together, answers peers' PING, FIND_NODE, FIND_VALUE and STORE (paper §2.3), runs the
 * application's put, get and delete, joins, and refreshes idle buckets (§2.3). The upkeep that
 * keeps k replicas through churn lives beside it, one job a class: {@code Republisher} (§2.5),
 * {@code HandOff} to newcomers (§2.5, last paragraph), {@code ReadRepair} after a get, and the
 * hand-over on {@code leave}. {@code ContactLiveness} does the pings the table asks for (§2.2);
 * {@code Limits} checks what callers and peers may write; {@link VersionClock} issues versions.
 *
 * <p>Everything runs on the injected {@link io.kadmesh.core.Scheduler} and {@link
 * io.kadmesh.core.PeerTransport}: no threads of its own, no sleeps, no wall clock.
 *
 * <p>Layering: above routing, lookup and storage, which it composes; below the gRPC layer ({@link
 * io.kadmesh.server.grpc}), which is its only production caller. No gRPC here.
 */
package io.kadmesh.core.node;
