package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.assertj.core.api.Assertions;

/**
 * A records test's fixture: nodes on the in-memory network in virtual time, a mesh of them joined
 * through the first, and waiting (in virtual time) for what they answer.
 */
abstract class VirtualMeshFixture {
  protected static final Duration TIMEOUT = Duration.ofSeconds(10);

  protected final VirtualScheduler scheduler = new VirtualScheduler();
  protected final InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(1));
  /** The configuration the next nodes start with. */
  protected NodeConfig config = NodeConfig.defaults();

  protected KademliaNode node(String address) {
    Contact self = new Contact(NodeId.ofKey(address), address);
    KademliaNode n = new KademliaNode(config, self, network.transportFor(self),
        new InMemoryRecordStore(1000, 1L << 20), scheduler, new Random(address.hashCode()));
    network.register(n);
    return n;
  }

  /** Nodes at these addresses, every one joined through the first. */
  protected List<KademliaNode> mesh(String... addresses) {
    List<KademliaNode> nodes = java.util.Arrays.stream(addresses).map(this::node).toList();
    for (KademliaNode n : nodes.subList(1, nodes.size())) {
      await(n.join(List.of(addresses[0])));
    }
    for (KademliaNode n : nodes) await(n.join(List.of(addresses[0])));
    return nodes;
  }

  protected <T> T await(CompletableFuture<T> f) {
    scheduler.runUntil(f::isDone, Duration.ofMinutes(1));
    assertThat(f).as("completes").isDone();
    return f.join();
  }

  protected DhtException failure(CompletableFuture<?> f) {
    scheduler.runUntil(f::isDone, Duration.ofMinutes(1));
    Throwable t = Assertions.catchThrowable(f::join);
    assertThat(t).isInstanceOf(CompletionException.class).hasCauseInstanceOf(DhtException.class);
    return (DhtException) t.getCause();
  }

  /** Six hours from now, in whole seconds, as a signature covers them. */
  protected Instant expiry() {
    return scheduler.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(6));
  }
}
