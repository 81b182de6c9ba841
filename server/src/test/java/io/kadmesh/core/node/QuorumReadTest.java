package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.sim.ForwardingPeerHandler;
import io.kadmesh.core.sim.PeerHandler;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Get costs in peer requests, and what it answers, with the node's Get quorum (3) and with
 * a quorum given per call: on a mesh of 30 nodes (k = 20) in virtual time, every node's
 * FIND_VALUE and STORE requests counted.
 */
class QuorumReadTest extends VirtualMeshFixture {
  private final AtomicInteger findValues = new AtomicInteger();
  private final AtomicInteger stores = new AtomicInteger();
  private List<KademliaNode> nodes;
  private final NodeId key = NodeId.ofKey("quorum-read");

  @Override
  protected KademliaNode node(String address) {
    Contact self = new Contact(NodeId.ofKey(address), address);
    KademliaNode n = new KademliaNode(config, self, network.transportFor(self),
        new InMemoryRecordStore(1000, 1L << 20), scheduler, new Random(address.hashCode()));
    // Counted where they arrive: the network loses nothing here, so every request sent is one got.
    network.register(new ForwardingPeerHandler(PeerHandler.of(n)) {
      @Override
      public FoundValue handleFindValue(Contact sender, NodeId k, RecordKind kind) {
        findValues.incrementAndGet();
        return super.handleFindValue(sender, k, kind);
      }

      @Override
      public StoreResult handleStore(Contact sender, ValueRecord record) {
        stores.incrementAndGet();
        return super.handleStore(sender, record);
      }
    });
    return n;
  }

  @BeforeEach
  void meshWithTheKeyWritten() {
    nodes = mesh(IntStream.range(0, 30).mapToObj(i -> "n" + i + ":1").toArray(String[]::new));
    await(nodes.get(0).put(key, bytes("v1"), null, TIMEOUT));
    // Whatever joining, refreshing and the put still had to do is done before counting starts.
    scheduler.advance(Duration.ofSeconds(1));
    findValues.set(0);
    stores.set(0);
  }

  /** The mesh's nodes by distance to the key, closest first. */
  private List<KademliaNode> byDistance() {
    List<KademliaNode> sorted = new ArrayList<>(nodes);
    sorted.sort(Comparator.comparing(n -> n.self().id(), key::compareDistance));
    return sorted;
  }

  private ValueRecord get(KademliaNode reader, int quorum) {
    ValueRecord r = await(reader.get(key, RecordKind.PLAIN, quorum, TIMEOUT)).orElseThrow();
    scheduler.advance(Duration.ofSeconds(1)); // any read repair it scheduled runs now
    return r;
  }

  @Test
  void get_withTheNodesQuorum_fromAReplicaHoldingACopy_asksTwoPeers_andRepairsNothing() {
    KademliaNode closest = byDistance().get(0);

    assertThat(get(closest, 0).value()).isEqualTo(bytes("v1"));
    assertThat(findValues).hasValue(2);
    assertThat(stores).hasValue(0);
  }

  @Test
  void get_withTheNodesQuorum_fromANodeOffTheReplicas_asksExactlyThreePeers() {
    KademliaNode farthest = byDistance().get(29);

    assertThat(get(farthest, 0).value()).isEqualTo(bytes("v1"));
    assertThat(findValues).hasValue(3);
    assertThat(stores).hasValue(0);
  }

  @Test
  void get_ofQuorum1_fromAReplicaHoldingACopy_asksNoPeer() {
    KademliaNode closest = byDistance().get(0);

    assertThat(get(closest, 1).value()).isEqualTo(bytes("v1"));
    assertThat(findValues).hasValue(0);
    assertThat(stores).hasValue(0);
  }

  @Test
  void get_ofQuorum1_fromANodeOffTheReplicas_asksOnePeer() {
    KademliaNode farthest = byDistance().get(29);

    assertThat(get(farthest, 1).value()).isEqualTo(bytes("v1"));
    assertThat(findValues).hasValue(1);
  }

  @Test
  void get_whenOneReplicaOfTheQuorumHoldsANewerVersion_answersIt_andRepairsTheTwoBehind() {
    List<KademliaNode> sorted = byDistance();
    ValueRecord held = sorted.get(0).store().get(key, scheduler.now()).orElseThrow();
    ValueRecord newer = ValueRecord.value(key, bytes("v2"),
        new Version(held.version().sequence() + 1, held.version().writer()), held.expiresAt());
    sorted.get(1).store().put(newer);

    assertThat(get(sorted.get(29), 0).value()).isEqualTo(bytes("v2"));
    assertThat(findValues).hasValue(3);
    // The two of the three asked that answered v1, and no one else.
    assertThat(stores).hasValue(2);
    assertThat(sorted.get(0).store().get(key, scheduler.now()).orElseThrow().value())
        .isEqualTo(bytes("v2"));
  }

  @Test
  void get_ofAQuorumAboveK_failsInvalidArgumentNamingTheFieldAndTheLimit() {
    DhtException e = catchThrowableOfType(
        () -> nodes.get(0).get(key, RecordKind.PLAIN, 21, TIMEOUT), DhtException.class);

    assertThat(e.reason()).isEqualTo(DhtException.Reason.INVALID_ARGUMENT);
    assertThat(e).hasMessageContaining("quorum").hasMessageContaining("k = 20")
        .hasMessageContaining("was 21");
    assertThat(catchThrowableOfType(
        () -> nodes.get(0).get(key, RecordKind.PLAIN, -1, TIMEOUT), DhtException.class))
        .hasMessageContaining("was 4294967295");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
