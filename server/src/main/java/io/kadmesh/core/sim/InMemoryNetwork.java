package io.kadmesh.core.sim;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.node.KademliaNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Nodes that talk to each other in memory, through a shared {@link Scheduler}: every request and
 * every answer is a scheduled delivery after the configured latency, so that a test or simulation
 * on a virtual scheduler runs deterministically. Nodes can be taken down (silent or refusing),
 * split into groups that cannot reach each other (a partition), and a seeded fraction of messages
 * dropped; a lost message leaves the call pending, as on a real network, for the caller's own
 * timeout to handle.
 */
public final class InMemoryNetwork {
  /** How a node that is down behaves toward callers. */
  public enum Failure {
    /** Calls to it never answer (a crashed host, a partition). */
    SILENT,
    /** Calls to it fail at once (connection refused). */
    REFUSING
  }

  private final Scheduler scheduler;
  private final Random random;
  private final Map<String, PeerHandler> nodes = new ConcurrentHashMap<>();
  private final Map<String, Failure> down = new ConcurrentHashMap<>();
  private final List<Partition> partitions = new CopyOnWriteArrayList<>();
  private volatile Duration latency = Duration.ZERO;
  private volatile double dropRate;

  /** {@code random} decides which messages are dropped: seed it for a reproducible run. */
  public InMemoryNetwork(Scheduler scheduler, Random random) {
    this.scheduler = scheduler;
    this.random = random;
  }

  /** The transport a node with contact {@code self} sends through: its requests name it as sender. */
  public PeerTransport transportFor(Contact self) {
    return new Transport(self);
  }

  /** Makes {@code node} reachable at its advertised address. */
  public void register(KademliaNode node) {
    register(PeerHandler.of(node));
  }

  /**
   * Makes {@code handler} answer at its advertised address, in place of whatever answered there:
   * how a simulation turns a registered node into a lying one.
   */
  public void register(PeerHandler handler) {
    nodes.put(handler.self().address(), handler);
  }

  /** Removes the node at {@code address}: calls to it are refused from now on. */
  public void unregister(String address) {
    nodes.remove(address);
  }

  /** One-way delay of every message. */
  public void setLatency(Duration latency) {
    this.latency = latency;
  }

  /** Fraction of messages (requests and answers alike) lost, in [0, 1]. */
  public void setDropRate(double dropRate) {
    if (dropRate < 0 || dropRate > 1) throw new IllegalArgumentException("drop rate in [0, 1]: " + dropRate);
    this.dropRate = dropRate;
  }

  /** Takes the node at {@code address} down; it keeps its state and comes back with {@link #up}. */
  public void down(String address, Failure failure) {
    down.put(address, failure);
  }

  public void up(String address) {
    down.remove(address);
  }

  public boolean isDown(String address) {
    return down.containsKey(address);
  }

  /**
   * Cuts the nodes at {@code groupA}'s addresses off from those at {@code groupB}'s, both ways:
   * messages between the groups are lost (calls stay pending, as across a real partition), also
   * answers still in flight when the cut happens. Traffic within each group is untouched. Cuts
   * add up until {@link #heal}.
   */
  public void partition(Set<String> groupA, Set<String> groupB) {
    Set<String> a = Set.copyOf(groupA);
    Set<String> b = Set.copyOf(groupB);
    if (a.stream().anyMatch(b::contains)) {
      throw new IllegalArgumentException("an address cannot be on both sides of a partition");
    }
    partitions.add(new Partition(a, b));
  }

  /** Removes every partition. */
  public void heal() {
    partitions.clear();
  }

  /** Whether a partition separates the nodes at these two addresses. */
  public boolean isCut(String from, String to) {
    for (Partition p : partitions) {
      if (p.separates(from, to)) return true;
    }
    return false;
  }

  /** Sends a request to the node at {@code address} and delivers its answer, both after latency. */
  private <T> CompletableFuture<T> call(String from, String address, NodeId expected,
      Function<PeerHandler, T> handler) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    // A node that is down sends nothing either: its own jobs get no answers.
    if (down.containsKey(from)) return answer;
    scheduler.schedule(latency, () -> deliver(from, address, expected, handler, answer));
    return answer;
  }

  private <T> void deliver(String from, String address, NodeId expected,
      Function<PeerHandler, T> handler, CompletableFuture<T> answer) {
    PeerHandler target = nodes.get(address);
    Failure failure = down.get(address);
    if (failure == Failure.SILENT || isCut(from, address) || dropped()) return;
    if (target == null || failure == Failure.REFUSING) {
      answer.completeExceptionally(DhtException.unavailable("connection refused: " + address));
      return;
    }
    if (expected != null && !expected.equals(target.self().id())) {
      answer.completeExceptionally(DhtException.unavailable(address + " is now another node"));
      return;
    }
    T result;
    try {
      result = handler.apply(target);
    } catch (DhtException e) {
      reply(from, address, () -> answer.completeExceptionally(e));
      return;
    }
    reply(from, address, () -> answer.complete(result));
  }

  private void reply(String to, String from, Runnable completion) {
    if (dropped()) return;
    scheduler.schedule(latency, () -> {
      // A partition that began while the answer was on its way swallows it too.
      if (!isCut(from, to)) completion.run();
    });
  }

  private boolean dropped() {
    double rate = dropRate;
    return rate > 0 && random.nextDouble() < rate;
  }

  private final class Transport implements PeerTransport {
    private final Contact self;

    Transport(Contact self) {
      this.self = self;
    }

    @Override
    public CompletableFuture<Contact> ping(String address) {
      return call(self.address(), address, null, n -> n.handlePing(self));
    }

    @Override
    public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
      return call(self.address(), to.address(), to.id(), n -> n.handleFindNode(self, target));
    }

    @Override
    public CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind) {
      return call(self.address(), to.address(), to.id(), n -> n.handleFindValue(self, key, kind));
    }

    @Override
    public CompletableFuture<StoreResult> store(Contact to, ValueRecord record) {
      return call(self.address(), to.address(), to.id(), n -> n.handleStore(self, record));
    }

    @Override
    public CompletableFuture<Subscription> subscribe(Contact to, NodeId key, RecordKind kind,
        Duration ttl) {
      return call(self.address(), to.address(), to.id(),
          n -> n.handleSubscribe(self, key, kind, ttl));
    }

    @Override
    public CompletableFuture<Boolean> notify(Contact to, NodeId key, RecordKind kind,
        List<ValueRecord> records) {
      List<ValueRecord> sent = List.copyOf(records);
      return call(self.address(), to.address(), to.id(),
          n -> n.handleNotify(self, key, kind, sent));
    }
  }

  /** Two groups of addresses that cannot reach each other. */
  private record Partition(Set<String> a, Set<String> b) {
    boolean separates(String x, String y) {
      return (a.contains(x) && b.contains(y)) || (b.contains(x) && a.contains(y));
    }
  }
}
