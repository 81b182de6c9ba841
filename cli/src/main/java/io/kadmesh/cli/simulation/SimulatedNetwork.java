package io.kadmesh.cli.simulation;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.cli.bench.LookupTracer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * N unmodified {@link KademliaNode}s over the {@link InMemoryNetwork} on a {@link VirtualScheduler}:
 * no sockets, no threads, deterministic for a seed.
 *
 * <p>Building: joining 100,000 nodes one by one through real lookups would take hours, so the
 * routing tables are filled directly from the sorted list of IDs, as a long-running network would
 * have them: bucket i of node x gets up to k contacts drawn at random from the nodes sharing exactly
 * i leading bits with x (a contiguous range of the sorted list). Nodes added later (churn) join
 * through the real protocol. Maintenance jobs (bucket refresh, expiry purge) are not started: a
 * simulated hour does not reach the one-hour refresh interval, and nothing expires in it.
 */
final class SimulatedNetwork {
  private final NodeConfig config;
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final InMemoryNetwork network;
  private final Random random;
  private final LookupTracer tracer = new LookupTracer();
  private final long[] requests = new long[2];
  private final List<KademliaNode> nodes = new ArrayList<>();
  private final List<KademliaNode> live = new ArrayList<>();
  private int nextAddress;

  /** How the network is built: tables filled directly, or every node joining through the protocol. */
  enum Build { PREFILL, JOIN }

  private static final Duration JOIN_LIMIT = Duration.ofMinutes(5);

  SimulatedNetwork(NodeConfig config, int size, Duration latency, double loss, Random random,
      Build build) {
    this.config = config;
    this.random = random;
    this.network = new InMemoryNetwork(scheduler, new Random(random.nextLong()));
    network.setLatency(latency);
    network.setDropRate(loss);
    if (build == Build.JOIN) {
      joinOneByOne(size);
      return;
    }
    NodeId[] ids = new NodeId[size];
    for (int i = 0; i < size; i++) ids[i] = NodeId.random(random);
    Arrays.sort(ids);
    for (NodeId id : ids) {
      KademliaNode n = newNode(id);
      nodes.add(n);
      live.add(n);
    }
    prefill();
  }

  VirtualScheduler scheduler() {
    return scheduler;
  }

  LookupTracer tracer() {
    return tracer;
  }

  /** Requests sent by every node so far, pings included. */
  long requests() {
    return requests[0];
  }

  /** Pings sent by every node so far (a full bucket's least-recently seen, joins). */
  long pings() {
    return requests[1];
  }

  int liveCount() {
    return live.size();
  }

  KademliaNode randomLive() {
    return live.get(random.nextInt(live.size()));
  }

  /** A live node other than {@code not}. */
  KademliaNode randomLiveOtherThan(KademliaNode not) {
    KademliaNode n;
    do {
      n = randomLive();
    } while (n == not && live.size() > 1);
    return n;
  }

  /** Takes a random live node down for good: it stops answering, as a crashed host does. */
  KademliaNode killRandom() {
    KademliaNode n = live.remove(random.nextInt(live.size()));
    network.down(n.self().address(), InMemoryNetwork.Failure.SILENT);
    return n;
  }

  /** A new node with a random ID, joining through a random live node (the real join). */
  KademliaNode addJoining() {
    KademliaNode through = randomLive();
    KademliaNode n = newNode(NodeId.random(random));
    nodes.add(n);
    live.add(n);
    n.join(List.of(through.self().address()));
    return n;
  }

  /**
   * Node 0 runs alone; each later node joins through a random earlier one with the real join
   * (lookup of its own ID, then refresh of the farther buckets), run to completion.
   */
  private void joinOneByOne(int size) {
    for (int i = 0; i < size; i++) {
      KademliaNode n = newNode(NodeId.random(random));
      List<String> through = live.isEmpty() ? List.of() : List.of(randomLive().self().address());
      nodes.add(n);
      live.add(n);
      var joined = n.join(through);
      scheduler.runUntil(joined::isDone, JOIN_LIMIT);
    }
  }

  /** Every node ever created, dead ones included. */
  int createdCount() {
    return nodes.size();
  }

  private KademliaNode newNode(NodeId id) {
    Contact self = new Contact(id, "sim-" + nextAddress++);
    KademliaNode n = new KademliaNode(config, self,
        new TracingTransport(network.transportFor(self), self.address(), tracer, requests),
        new InMemoryRecordStore(config.maxRecords(), config.maxStoredBytes()), scheduler,
        random);
    network.register(n);
    return n;
  }

  /** Fills every node's buckets from the sorted ID list; see the class comment. */
  private void prefill() {
    int size = nodes.size();
    Instant now = scheduler.now();
    int[] pick = new int[config.k()];
    for (int j = 0; j < size; j++) {
      KademliaNode x = nodes.get(j);
      NodeId id = x.self().id();
      RoutingTable table = x.routingTable();
      int deepest = 0;
      if (j > 0) deepest = Math.max(deepest, id.commonPrefixLength(nodes.get(j - 1).self().id()));
      if (j + 1 < size) deepest = Math.max(deepest, id.commonPrefixLength(nodes.get(j + 1).self().id()));
      byte[] bytes = id.toBytes();
      for (int i = 0; i <= deepest && i < NodeId.BITS; i++) {
        // Bucket i: x's first i bits, then the opposite of x's bit i, then anything.
        int lo = lowerBound(prefixBound(bytes, i, false));
        int hi = upperBound(prefixBound(bytes, i, true));
        int count = hi - lo;
        if (count <= 0) continue;
        int n = Math.min(count, config.k());
        sample(count, n, pick);
        for (int p = 0; p < n; p++) {
          table.seen(nodes.get(lo + pick[p]).self(), now);
        }
      }
    }
  }

  /**
   * The lowest (or highest) ID that shares exactly {@code i} leading bits with {@code id}: its
   * first i bits, the opposite of bit i, then zeros (or ones).
   */
  private static NodeId prefixBound(byte[] id, int i, boolean high) {
    byte[] b = id.clone();
    int byteIndex = i / 8;
    int bit = 7 - (i % 8);
    b[byteIndex] ^= (byte) (1 << bit);
    int lowMask = (1 << bit) - 1;
    if (high) {
      b[byteIndex] |= (byte) lowMask;
    } else {
      b[byteIndex] &= (byte) ~lowMask;
    }
    for (int k = byteIndex + 1; k < b.length; k++) b[k] = high ? (byte) 0xFF : 0;
    return NodeId.fromBytes(b);
  }

  /** The first index whose ID is at least {@code bound}. */
  private int lowerBound(NodeId bound) {
    int lo = 0;
    int hi = nodes.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (nodes.get(mid).self().id().compareTo(bound) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose ID is above {@code bound}. */
  private int upperBound(NodeId bound) {
    int lo = 0;
    int hi = nodes.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (nodes.get(mid).self().id().compareTo(bound) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** {@code n} distinct offsets in [0, count) into {@code out} (Floyd's algorithm for small n). */
  private void sample(int count, int n, int[] out) {
    if (n == count) {
      for (int i = 0; i < n; i++) out[i] = i;
      return;
    }
    int filled = 0;
    for (int j = count - n; j < count; j++) {
      int t = random.nextInt(j + 1);
      boolean taken = false;
      for (int q = 0; q < filled; q++) {
        if (out[q] == t) {
          taken = true;
          break;
        }
      }
      out[filled++] = taken ? j : t;
    }
  }
}
