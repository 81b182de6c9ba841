/**
 * What a node keeps on disk besides its records: {@link DataDirectory}, the directory that holds
 * the node's ID across restarts and a lock against a second node using it, and {@link
 * FileContactStore}, the core's {@link io.kadmesh.core.storage.ContactStore} in that directory:
 * the routing table's contacts and the bootstrap addresses last given, so that a restarted node
 * rejoins through the peers it knew even when it is started with no bootstrap or its bootstrap
 * nodes are gone. Files are replaced atomically, so a crash leaves the old one or the new one.
 *
 * <p>All three files are plain text ({@code node-id}, and {@code contacts} and {@code bootstrap}
 * under versioned headers), so that a person can read them and a later format can tell this one
 * apart.
 *
 * <p>Layering: an implementation of a core interface, beside the gRPC layer rather than under it:
 * depends on {@link io.kadmesh.core} only ({@link io.kadmesh.server.HostPort} here checks the
 * addresses it reads, and the gRPC layer above uses it too); the command line opens it and hands the store to the node. No gRPC types.
 */
package io.kadmesh.server;
