package io.kadmesh.server.metrics;

import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.node.BucketStats;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.storage.RecordStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a running node is and holds at one moment, read in one place for GetNodeInfo and the
 * dashboard: its identity and addresses, its store against its limits, its routing table's buckets.
 */
public record NodeStatus(
    NodeId nodeId,
    String network,
    String peerAddress,
    String apiAddress,
    String advertiseAddress,
    int k,
    int alpha,
    long records,
    long storedBytes,
    long maxRecords,
    long maxStoredBytes,
    String storage,
    Optional<Path> dataDirectory,
    Instant startedAt,
    int contacts,
    int liveContacts,
    boolean cutOff,
    int writeQuorum,
    List<BucketStats> buckets) {

  /**
   * Reads {@code node} now. The addresses are where it listens and what it tells peers;
   * {@code dataDirectory} is null for a node that keeps nothing on disk.
   */
  public static NodeStatus read(KademliaNode node, String peerAddress, String apiAddress,
      String advertiseAddress, Instant startedAt, Path dataDirectory) {
    NodeConfig config = node.config();
    RecordStore store = node.store();
    List<BucketStats> buckets = List.copyOf(node.bucketStats());
    int contacts = buckets.stream().mapToInt(BucketStats::contacts).sum();
    return new NodeStatus(node.self().id(), config.network(), peerAddress, apiAddress,
        advertiseAddress, config.k(), config.alpha(), store.recordCount(), store.storedBytes(),
        config.maxRecords(), config.maxStoredBytes(), store.engine(),
        Optional.ofNullable(dataDirectory), startedAt, contacts, node.routingTable().liveSize(),
        !node.isServing(), node.writeQuorum(), buckets);
  }
}
