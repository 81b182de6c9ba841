package io.kadmesh.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A node's description of itself: who it is, where it listens, its routing table and its storage.
 *
 * @param nodeIdHex the node's 32-byte ID, as lowercase hex
 * @param network the network name the node belongs to
 * @param peerAddress the address its peer port (Kademlia) is bound to
 * @param apiAddress the address its API port (Dht) is bound to
 * @param advertiseAddress the peer address it tells other nodes to dial
 * @param k the bucket size and replication factor
 * @param alpha how many requests a lookup keeps in flight
 * @param contacts how many contacts the routing table holds in all
 * @param buckets the non-empty k-buckets, as the node listed them
 * @param storage what the node holds and where
 * @param startedAt when the node started; null if it did not say
 * @param liveContacts how many of the contacts are live (not stale after failed requests)
 * @param cutOff whether the node is part of a network but reaches no peer (it then refuses writes
 *     and Gets it cannot answer itself, and keeps retrying)
 * @param writeQuorum the replicas a put or delete needs before it is acknowledged
 */
public record NodeInfo(
    String nodeIdHex,
    String network,
    String peerAddress,
    String apiAddress,
    String advertiseAddress,
    int k,
    int alpha,
    int contacts,
    List<BucketSummary> buckets,
    StorageSummary storage,
    Instant startedAt,
    int liveContacts,
    boolean cutOff,
    int writeQuorum) {

  public NodeInfo {
    Objects.requireNonNull(nodeIdHex, "nodeIdHex");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(peerAddress, "peerAddress");
    Objects.requireNonNull(apiAddress, "apiAddress");
    Objects.requireNonNull(advertiseAddress, "advertiseAddress");
    buckets = List.copyOf(buckets);
    Objects.requireNonNull(storage, "storage");
  }
}
