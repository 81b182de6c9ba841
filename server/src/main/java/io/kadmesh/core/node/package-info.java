/**
 * One Kademlia node, composed: {@link KademliaNode} ties a routing table, lookups and a record
 * store together, answers peers' PING, FIND_NODE, FIND_VALUE and STORE (paper §2.3), and runs the
 * application's put, get and delete ({@link WriteResult}: how many replicas kept a write, which
 * must reach the write quorum). Around it, one job a class: {@code Membership} joins through the
 * bootstrap and saved contacts and keeps the node in its network through restarts and partitions,
 * probing lost and stale contacts (§2.3, §4.1); {@code ContactSaver} saves the table's contacts;
 * {@code Republisher} (§2.5), {@code HandOff} to newcomers, {@code ReadRepair} and the hand-over
 * on {@code leave} keep k replicas through churn; {@code ContactLiveness} does the pings the table
 * asks for (§2.2); {@code Limits} checks what callers and peers may write.
 *
 * <p>Everything runs on the injected {@link io.kadmesh.core.Scheduler} and {@link
 * io.kadmesh.core.PeerTransport}: no threads of its own, no sleeps, no wall clock.
 *
 * <p>Layering: above routing, lookup and storage, which it composes; below the gRPC layer ({@link
 * io.kadmesh.server.grpc}), which is its only production caller. No gRPC here.
 */
package io.kadmesh.core.node;
