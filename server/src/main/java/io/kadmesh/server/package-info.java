/**
 * What a node keeps on disk besides its records: {@link DataDirectory}, the directory that holds
 * the node's ID across restarts and a lock against a second node using it, and {@link
 * ContactSnapshot}, the routing table's contacts saved to a file (replaced atomically) so that a
 * restarted node rejoins through the peers it knew even when its bootstrap nodes are gone.
 *
 * <p>Both files are plain text ({@code node-id}, and {@code contacts} under a versioned header),
 * so that a person can read them and a later format can tell this one apart.
 *
 * <p>Layering: depends on {@link io.kadmesh.core} (and on {@link io.kadmesh.server.grpc.HostPort}
 * to check the addresses it reads); used by the gRPC layer's {@code KadmeshServer}
 * (the snapshot) and by the command line (the directory). No gRPC types.
 */
package io.kadmesh.server;
