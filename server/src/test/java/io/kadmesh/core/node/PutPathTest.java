package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.sim.ForwardingPeerHandler;
import io.kadmesh.core.sim.PeerHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The put path on the in-memory network: a write skips its FIND_NODE lookup when the writer's view
 * of the key's neighbourhood is fresh and complete, and the STOREs' answers (the replicas'
 * closest contacts) still place the record on the true k closest, without believing lies.
 */
class PutPathTest extends VirtualMeshFixture {
  private final AtomicInteger findNodes = new AtomicInteger();
  private final AtomicInteger trapStores = new AtomicInteger();

  /** Every node in {@code nodes} answers through a handler that counts the FIND_NODEs it gets. */
  private void countFindNodes(List<KademliaNode> nodes) {
    for (KademliaNode n : nodes) {
      network.register(new ForwardingPeerHandler(PeerHandler.of(n)) {
        @Override
        public List<Contact> handleFindNode(Contact sender, NodeId target) {
          findNodes.incrementAndGet();
          return super.handleFindNode(sender, target);
        }
      });
    }
  }

  /** {@code n}'s STORE answers, rewritten by {@code lie}. */
  private void lyingStores(KademliaNode n, UnaryOperator<StoreResult> lie) {
    network.register(new ForwardingPeerHandler(PeerHandler.of(n)) {
      @Override
      public StoreResult handleStore(Contact sender, ValueRecord record) {
        return lie.apply(super.handleStore(sender, record));
      }
    });
  }

  /** A node outside the mesh that counts the STOREs it gets. */
  private Contact trap(String address) {
    KademliaNode t = node(address);
    network.register(new ForwardingPeerHandler(PeerHandler.of(t)) {
      @Override
      public StoreResult handleStore(Contact sender, ValueRecord record) {
        trapStores.incrementAndGet();
        return super.handleStore(sender, record);
      }
    });
    return t.self();
  }

  private static NodeId key(String name) {
    return NodeId.ofKey(name);
  }

  private static byte[] value(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static boolean holds(KademliaNode n, NodeId key, java.time.Instant now) {
    return n.store().get(key, now).isPresent();
  }

  @Test
  void put_intoSmallMeshWithFreshView_sendsNoFindNode_andReachesEveryNode() {
    List<KademliaNode> nodes = mesh("a:1", "b:1", "c:1", "d:1", "e:1", "f:1");
    countFindNodes(nodes);

    WriteResult r = await(nodes.get(3).put(key("k1"), value("v"), null, TIMEOUT));

    assertThat(findNodes).hasValue(0);
    assertThat(r.replicas()).isEqualTo(nodes.size());
    for (KademliaNode n : nodes) {
      assertThat(holds(n, key("k1"), scheduler.now())).as(n.self().address()).isTrue();
    }
  }

  @Test
  void put_afterTheViewWentStale_looksUpFirst() {
    List<KademliaNode> nodes = mesh("a:1", "b:1", "c:1", "d:1");
    countFindNodes(nodes);
    scheduler.advance(config.contactFreshness().plus(Duration.ofSeconds(1)));
    findNodes.set(0);

    WriteResult r = await(nodes.get(2).put(key("k2"), value("v"), null, TIMEOUT));

    assertThat(findNodes.get()).isPositive();
    assertThat(r.replicas()).isEqualTo(nodes.size());
  }

  @Test
  void put_withFreshViewMissingANewcomer_stillPlacesOnIt_throughStoreAnswers() {
    List<KademliaNode> nodes = mesh("a:1", "b:1", "c:1", "d:1", "e:1");
    KademliaNode writer = nodes.get(4);
    KademliaNode newcomer = node("z:1");
    // The newcomer joins where the writer cannot hear it: the writer's view misses it.
    network.partition(Set.of(writer.self().address()), Set.of(newcomer.self().address()));
    await(newcomer.join(List.of("a:1")));
    network.heal();
    assertThat(writer.routingTable().find(newcomer.self().id())).isNull();
    List<KademliaNode> all = new ArrayList<>(nodes);
    all.add(newcomer);
    countFindNodes(all);

    WriteResult r = await(writer.put(key("k3"), value("v"), null, TIMEOUT));

    assertThat(findNodes).as("no lookup: the view looked fresh and complete").hasValue(0);
    assertThat(holds(newcomer, key("k3"), scheduler.now())).isTrue();
    assertThat(r.replicas()).isEqualTo(all.size());
    assertThat(writer.routingTable().find(newcomer.self().id())).isNotNull();
  }

  @Test
  void put_whoseStoreAnswerNamesANodeMissing_storesThere() {
    List<KademliaNode> nodes = mesh("a:1", "b:1", "c:1", "d:1");
    Contact trap = trap("trap:1");
    lyingStores(nodes.get(1), r -> r.withCloser(List.of(trap)));

    await(nodes.get(0).put(key("k4"), value("v"), null, TIMEOUT));

    assertThat(trapStores).hasValue(1);
  }

  @Test
  void put_whoseStoreAnswerNamesMoreThanK_orAnUndiallableAddress_dropsIt() {
    List<KademliaNode> nodes = mesh("a:1", "b:1", "c:1", "d:1");
    Contact trap = trap("trap:1");
    List<Contact> tooMany = new ArrayList<>();
    tooMany.add(trap);
    for (int i = 0; i < config.k(); i++) {
      tooMany.add(new Contact(NodeId.ofKey("fake" + i), "fake" + i + ":1"));
    }
    lyingStores(nodes.get(1), r -> r.withCloser(tooMany));
    lyingStores(nodes.get(2), r -> r.withCloser(List.of(trap, new Contact(NodeId.ofKey("w"),
        "0.0.0.0:1"))));

    WriteResult r = await(nodes.get(0).put(key("k5"), value("v"), null, TIMEOUT));

    assertThat(trapStores).hasValue(0);
    assertThat(r.replicas()).isEqualTo(nodes.size());
  }
}
