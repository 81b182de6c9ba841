package io.kadmesh.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class InMemoryNetworkTest {
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(1));
  private final KademliaNode a = node("a:1");
  private final KademliaNode b = node("b:1");
  private final KademliaNode c = node("c:1");

  private KademliaNode node(String address) {
    NodeConfig config = NodeConfig.defaults();
    Contact self = new Contact(NodeId.ofKey(address), address);
    KademliaNode n = new KademliaNode(config, self, network.transportFor(self),
        new InMemoryRecordStore(10, 1 << 20), scheduler, new Random(2));
    network.register(n);
    return n;
  }

  private CompletableFuture<Contact> ping(KademliaNode from, KademliaNode to) {
    CompletableFuture<Contact> f = network.transportFor(from.self()).ping(to.self().address());
    scheduler.advance(Duration.ofSeconds(1));
    return f;
  }

  @Test
  void partition_dropsMessagesBetweenTheGroupsOnly_bothWays_untilHealed() {
    network.partition(Set.of("a:1"), Set.of("b:1"));
    assertThat(network.isCut("b:1", "a:1")).isTrue();
    assertThat(ping(a, b)).isNotDone();
    assertThat(ping(b, a)).isNotDone();
    assertThat(ping(a, c)).isCompletedWithValue(c.self());
    assertThat(ping(c, b)).isCompletedWithValue(b.self());
    network.heal();
    assertThat(ping(a, b)).isCompletedWithValue(b.self());
  }

  @Test
  void partition_thatBeginsWhileAnAnswerIsOnItsWay_swallowsIt() {
    network.setLatency(Duration.ofMillis(10));
    CompletableFuture<Contact> f = network.transportFor(a.self()).ping("b:1");
    scheduler.advance(Duration.ofMillis(15)); // delivered, answer in flight
    network.partition(Set.of("a:1"), Set.of("b:1"));
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(f).isNotDone();
  }

  @Test
  void partition_withAnAddressOnBothSides_isRefused() {
    assertThatThrownBy(() -> network.partition(Set.of("a:1"), Set.of("a:1", "b:1")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
