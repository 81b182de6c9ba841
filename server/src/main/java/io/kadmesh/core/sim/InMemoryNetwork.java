package io.kadmesh.core.sim;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.node.KademliaNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Nodes that talk to each other in memory, through a shared {@link Scheduler}: every request and
 * every answer is a scheduled delivery after the configured latency, so that a test or simulation
 * on a virtual scheduler runs deterministically. Nodes can be taken down (silent or refusing) and
 * a seeded fraction of messages dropped; a lost message leaves the call pending, as on a real
 * network, for the caller's own timeout to handle.
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
  private final Map<String, KademliaNode> nodes = new ConcurrentHashMap<>();
  private final Map<String, Failure> down = new ConcurrentHashMap<>();
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
    nodes.put(node.self().address(), node);
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

  /** Sends a request to the node at {@code address} and delivers its answer, both after latency. */
  private <T> CompletableFuture<T> call(String from, String address, NodeId expected,
      Function<KademliaNode, T> handler) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    // A node that is down sends nothing either: its own jobs get no answers.
    if (down.containsKey(from)) return answer;
    scheduler.schedule(latency, () -> deliver(address, expected, handler, answer));
    return answer;
  }

  private <T> void deliver(String address, NodeId expected, Function<KademliaNode, T> handler,
      CompletableFuture<T> answer) {
    KademliaNode target = nodes.get(address);
    Failure failure = down.get(address);
    if (failure == Failure.SILENT || dropped()) return;
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
      reply(() -> answer.completeExceptionally(e));
      return;
    }
    reply(() -> answer.complete(result));
  }

  private void reply(Runnable completion) {
    if (dropped()) return;
    scheduler.schedule(latency, completion);
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
      return call(self.address(), address, null, n -> {
        n.handlePing(self);
        return n.self();
      });
    }

    @Override
    public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
      return call(self.address(), to.address(), to.id(), n -> n.handleFindNode(self, target));
    }

    @Override
    public CompletableFuture<FoundValue> findValue(Contact to, NodeId key) {
      return call(self.address(), to.address(), to.id(), n -> n.handleFindValue(self, key));
    }

    @Override
    public CompletableFuture<Boolean> store(Contact to, ValueRecord record) {
      return call(self.address(), to.address(), to.id(), n -> n.handleStore(self, record));
    }
  }
}
