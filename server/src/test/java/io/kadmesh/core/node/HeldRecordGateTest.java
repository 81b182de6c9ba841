package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A record already in a node's store (kept by an older build, before the record gate existed, or
 * under looser limits) passes the gate again before the node serves it.
 */
class HeldRecordGateTest {
  private static final Instant YEAR_2100 = Instant.parse("2100-01-01T00:00:00Z");

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Random random = new Random(17);
  private final InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(1));

  private KademliaNode node(String address) {
    Contact self = new Contact(NodeId.random(random), address);
    KademliaNode n = new KademliaNode(NodeConfig.defaults(), self, network.transportFor(self),
        new InMemoryRecordStore(1000, 1L << 20), scheduler, new Random(address.hashCode()));
    network.register(n);
    return n;
  }

  @Test
  void aHeldRecordWithAVersionFarAhead_isNeitherServedToPeersNorReturnedByAGet() {
    KademliaNode node = node("a:1");
    NodeId key = NodeId.ofKey("locked-by-an-old-build");
    node.store().put(ValueRecord.value(key, "forged".getBytes(),
        new Version(VersionClock.micros(YEAR_2100), NodeId.random(random)),
        scheduler.now().plus(Duration.ofHours(1))));

    assertThat(node.handleFindValue(null, key, RecordKind.PLAIN).record()).isNull();
    Optional<ValueRecord> got = node.get(key, Duration.ofSeconds(5)).join();
    assertThat(got).isEmpty();
  }

  @Test
  void aHeldRecordWithinTheGate_isServed() {
    KademliaNode node = node("a:1");
    NodeId key = NodeId.ofKey("honest");
    node.store().put(ValueRecord.value(key, "v".getBytes(),
        new Version(VersionClock.micros(scheduler.now()), NodeId.random(random)),
        scheduler.now().plus(Duration.ofHours(1))));

    assertThat(node.handleFindValue(null, key, RecordKind.PLAIN).record()).isNotNull();
    assertThat(node.get(key, Duration.ofSeconds(5)).join()).isPresent();
    assertThat(node.join(List.of())).isDone();
  }
}
