package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.AddressResolver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A bootstrap address that is a name standing for many nodes (a Kubernetes headless service): the
 * node joins through every one of them, not the first, on virtual time over an in-memory network.
 */
class BootstrapNameTest {
  private static final String NAME = "kadmesh-peers.default.svc.cluster.local:7701";
  private final Random random = new Random(11);
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final InMemoryNetwork network = new InMemoryNetwork(scheduler, random);
  private final NodeConfig config = NodeConfig.defaults();
  private final List<KademliaNode> nodes = new ArrayList<>();
  /** What the name resolves to now; changed by the tests as pods come and go. */
  private final Map<String, List<String>> dns = new ConcurrentHashMap<>();
  private final AddressResolver resolver = address -> {
    List<String> all = dns.get(address);
    return all == null
        ? CompletableFuture.failedFuture(new IllegalArgumentException("unknown host " + address))
        : CompletableFuture.completedFuture(all);
  };

  @AfterEach
  void close() {
    nodes.forEach(KademliaNode::close);
  }

  private KademliaNode node(int i) {
    Contact self = new Contact(NodeId.random(random), "10.1.0." + i + ":7701");
    KademliaNode node = new KademliaNode(config, self, network.transportFor(self),
        new InMemoryRecordStore(10_000, 1 << 20), scheduler, random);
    node.setAddressResolver(resolver);
    network.register(node);
    node.start();
    nodes.add(node);
    return node;
  }

  private static List<Contact> others(KademliaNode node, List<KademliaNode> all) {
    return all.stream().filter(n -> n != node).map(KademliaNode::self).toList();
  }

  @Test
  void join_throughANameStandingForThreeNodes_reachesEachOfThem() {
    KademliaNode a = node(1);
    KademliaNode b = node(2);
    KademliaNode c = node(3);
    // Nodes that know nobody: only the joiner's pings can introduce them.
    dns.put(NAME, List.of(a.self().address(), b.self().address(), c.self().address()));
    KademliaNode joiner = node(4);

    CompletableFuture<Void> joined = joiner.connect(List.of(NAME));
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(joined).isCompleted();
    assertThat(joiner.contacts()).containsExactlyInAnyOrder(a.self(), b.self(), c.self());
    assertThat(joiner.isServing()).isTrue();
  }

  @Test
  void join_throughANameThatIncludesTheNodeItself_pingsTheOthersAndNotItself() {
    KademliaNode a = node(1);
    KademliaNode b = node(2);
    KademliaNode c = node(3);
    List<KademliaNode> all = List.of(a, b, c);
    dns.put(NAME, all.stream().map(n -> n.self().address()).toList());

    for (KademliaNode n : all) {
      n.connect(List.of(NAME));
    }
    scheduler.advance(Duration.ofSeconds(5));

    for (KademliaNode n : all) {
      assertThat(n.contacts()).as("contacts of %s", n.self().address())
          .containsExactlyInAnyOrderElementsOf(others(n, all));
      assertThat(n.isServing()).isTrue();
    }
  }

  @Test
  void aNodeCutOff_findsPodsThatTheNameGainsLater_byResolvingItAgain() {
    KademliaNode first = node(1);
    dns.put(NAME, List.of(first.self().address()));
    first.connect(List.of(NAME));
    scheduler.advance(Duration.ofSeconds(5));
    // Given a bootstrap name, it is not alone on purpose: nobody answered, so it is cut off.
    assertThat(first.isServing()).isFalse();

    KademliaNode second = node(2);
    dns.put(NAME, List.of(first.self().address(), second.self().address()));
    scheduler.advance(Duration.ofSeconds(30));

    assertThat(first.contacts()).containsExactly(second.self());
    assertThat(first.isServing()).isTrue();
  }

  @Test
  void join_throughANameThatDoesNotResolve_pingsItAsGiven() {
    KademliaNode named = node(1);
    // No DNS entry: the address goes to the transport unchanged, which here is a node's address.
    KademliaNode joiner = node(2);

    joiner.connect(List.of(named.self().address()));
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(joiner.contacts()).containsExactly(named.self());
  }
}
