/**
 * Where a node keeps the records it holds for the network (the values of paper §2.3's STORE):
 * {@link RecordStore} keeps one record per key, the newest {@link io.kadmesh.core.Version}, so
 * replicas converge whatever order writes arrive in, and purges expired records through an index
 * by expiry rather than by a scan. {@link InMemoryRecordStore} is for tests, the simulator and
 * {@code --in-memory}; {@link RocksDbRecordStore} is the default, an embedded RocksDB whose
 * write-ahead log makes an acknowledged write survive a killed process, with its on-disk format
 * in {@code RecordCodec}.
 *
 * <p>Stores check only their own quotas (records, bytes); the limits on what a caller may write
 * are the node's. Tombstones are records like any other.
 *
 * <p>Layering: depends on {@link io.kadmesh.core} and RocksDB, never on routing, lookup or gRPC;
 * used by {@link io.kadmesh.core.node} and opened by the command line.
 */
package io.kadmesh.core.storage;
