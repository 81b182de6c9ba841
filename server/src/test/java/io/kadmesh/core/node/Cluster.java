package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/** N nodes over an in-memory network on virtual time, for node-level tests. */
final class Cluster {
  final VirtualScheduler scheduler = new VirtualScheduler();
  final Random random;
  final InMemoryNetwork network;
  final NodeConfig config;
  final List<KademliaNode> nodes = new ArrayList<>();

  Cluster(NodeConfig config, long seed) {
    this.config = config;
    this.random = new Random(seed);
    this.network = new InMemoryNetwork(scheduler, new Random(seed + 1));
    network.setLatency(Duration.ofMillis(5));
  }

  KademliaNode add() {
    Contact self = new Contact(NodeId.random(random), "node" + nodes.size() + ":4000");
    KademliaNode node = new KademliaNode(config, self, network.transportFor(self),
        new InMemoryRecordStore(config.maxRecords(), config.maxStoredBytes()), scheduler,
        new Random(random.nextLong()));
    network.register(node);
    nodes.add(node);
    return node;
  }

  /** Runs virtual time until {@code f} completes (or a generous limit), and answers its value. */
  <T> T await(CompletableFuture<T> f) {
    scheduler.runUntil(f::isDone, Duration.ofMinutes(5));
    return f.join();
  }

  /** Starts n nodes; the first runs alone, the others join through it one after another. */
  static Cluster started(int n, NodeConfig config, long seed) {
    Cluster c = new Cluster(config, seed);
    KademliaNode bootstrap = c.add();
    bootstrap.start();
    c.await(bootstrap.join(List.of()));
    for (int i = 1; i < n; i++) {
      KademliaNode node = c.add();
      node.start();
      c.await(node.join(List.of(bootstrap.self().address())));
    }
    return c;
  }
}
