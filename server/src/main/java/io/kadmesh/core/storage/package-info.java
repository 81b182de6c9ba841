/**
 * What a node keeps: {@link RecordStore} holds the records it stores for the network (paper §2.3's
 * STORE), one per key, the newest {@link io.kadmesh.core.Version}, so that replicas converge
 * whatever order writes arrive in, and purges expired ones through an index by expiry, not a scan.
 * {@link InMemoryRecordStore} serves tests, the simulator and {@code --in-memory}; {@link
 * RocksDbRecordStore}, the default, is an embedded RocksDB whose write-ahead log keeps an
 * acknowledged write through a killed process (format in {@code RecordCodec}). {@link
 * ContactStore} keeps the contacts and bootstrap addresses a restarted node rejoins through ({@link
 * InMemoryContactStore} here, a file-backed one in {@link io.kadmesh.server}).
 *
 * <p>Stores check only quotas (records and bytes in all, and per placer with the {@link
 * RecordStore.PeerQuota} a put brings): the limits on what may be written are the node's, the same
 * for every caller. Walks over a store go a page at a time ({@link RecordStore#scan}).
 *
 * <p>Layering: depends on {@link io.kadmesh.core} and RocksDB, never on routing, lookup or gRPC;
 * used by {@link io.kadmesh.core.node}, and opened by the command line.
 */
package io.kadmesh.core.storage;
