package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryContactStore;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import java.util.HashMap;
import java.util.Map;
import java.time.Duration;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.sim.InMemoryNetwork.Failure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** N nodes over an in-memory network on virtual time, for node-level tests. */
final class Cluster {
  final VirtualScheduler scheduler = new VirtualScheduler();
  final Random random;
  final InMemoryNetwork network;
  final NodeConfig config;
  final List<KademliaNode> nodes = new ArrayList<>();
  /** The nodes neither crashed nor gone, in the order they were added. */
  final Set<KademliaNode> live = new LinkedHashSet<>();
  /** What each node keeps across a restart, by address: its store and its saved contacts. */
  private final Map<String, RecordStore> stores = new HashMap<>();
  private final Map<String, InMemoryContactStore> contactStores = new HashMap<>();

  Cluster(NodeConfig config, long seed) {
    this.config = config;
    this.random = new Random(seed);
    this.network = new InMemoryNetwork(scheduler, new Random(seed + 1));
    network.setLatency(Duration.ofMillis(5));
  }

  KademliaNode add() {
    Contact self = new Contact(NodeId.random(random), "node" + nodes.size() + ":4000");
    stores.put(self.address(), new InMemoryRecordStore(config.maxRecords(), config.maxStoredBytes()));
    contactStores.put(self.address(), new InMemoryContactStore());
    return create(self);
  }

  private KademliaNode create(Contact self) {
    KademliaNode node = new KademliaNode(config, self, network.transportFor(self),
        stores.get(self.address()), contactStores.get(self.address()), scheduler,
        new Random(random.nextLong()));
    network.register(node);
    nodes.add(node);
    live.add(node);
    return node;
  }

  /**
   * A crashed or stopped node back with its ID, address, records and saved contacts, as a process
   * restarted from its data directory; it connects with no bootstrap, and is not awaited.
   */
  KademliaNode restart(KademliaNode old) {
    crash(old);
    network.up(old.self().address());
    KademliaNode node = create(old.self());
    node.start();
    node.connect(List.of());
    return node;
  }

  /** Starts n nodes as processes would be: each connects (keeps rejoining) through node 0. */
  static Cluster connected(int n, NodeConfig config, long seed) {
    Cluster c = new Cluster(config, seed);
    KademliaNode first = c.add();
    first.start();
    c.await(first.connect(List.of()));
    for (int i = 1; i < n; i++) {
      KademliaNode node = c.add();
      node.start();
      c.await(node.connect(List.of(first.self().address())));
    }
    return c;
  }

  /** A new node that starts and joins through a random live node; the join is not awaited. */
  KademliaNode joinOne() {
    KademliaNode through = randomLive();
    KademliaNode node = add();
    node.start();
    node.join(List.of(through.self().address()));
    return node;
  }

  /** A crash: the node falls silent at once, hands nothing over, and its jobs stop. */
  void crash(KademliaNode node) {
    live.remove(node);
    network.down(node.self().address(), Failure.SILENT);
    node.close();
  }

  /** A graceful departure: {@link KademliaNode#leave}, then close; not awaited. */
  CompletableFuture<Void> leave(KademliaNode node, Duration timeout) {
    live.remove(node);
    return node.leave(timeout).handle((v, e) -> {
      node.close();
      network.unregister(node.self().address());
      return null;
    });
  }

  KademliaNode randomLive() {
    List<KademliaNode> l = new ArrayList<>(live);
    return l.get(random.nextInt(l.size()));
  }

  /** The k live nodes closest to {@code key}, by the whole network's truth. */
  List<KademliaNode> closestLive(NodeId key) {
    List<KademliaNode> l = new ArrayList<>(live);
    l.sort(Comparator.comparing(n -> n.self().id(), key::compareDistance));
    return l.subList(0, Math.min(config.k(), l.size()));
  }

  /** Live nodes holding {@code version} (or a newer one) of {@code key}. */
  long liveCopies(NodeId key, Version version) {
    return live.stream().filter(n -> holds(n, key, version)).count();
  }

  boolean holds(KademliaNode n, NodeId key, Version version) {
    return n.store().get(key, scheduler.now()).map(ValueRecord::version)
        .filter(v -> !version.isNewerThan(v)).isPresent();
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
