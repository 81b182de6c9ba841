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
import io.kadmesh.core.storage.ReadStats;
import io.kadmesh.core.storage.StoredKey;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A node counts a read of a record it holds wherever the read comes from (a peer's FIND_VALUE, a
 * local Get), shows it in its inventory, and forgets it with the record.
 */
class ReadTrackingTest {
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Random random = new Random(23);
  private final KademliaNode node = node();

  private KademliaNode node() {
    Contact self = new Contact(NodeId.random(random), "a:1");
    KademliaNode n = new KademliaNode(
        NodeConfig.builder().expiryInterval(Duration.ofSeconds(10)).build(), self,
        new InMemoryNetwork(scheduler, new Random(1)).transportFor(self),
        new InMemoryRecordStore(1000, 1L << 20), scheduler, new Random(2));
    n.join(java.util.List.of()).join();
    return n;
  }

  private ValueRecord hold(String key, Duration ttl) {
    ValueRecord r = ValueRecord.value(NodeId.ofKey(key), "v".getBytes(),
        new Version(VersionClock.micros(scheduler.now()), node.self().id()),
        scheduler.now().plus(ttl));
    node.store().put(r);
    return r;
  }

  @Test
  void aPeersFindValue_andALocalGet_eachCountAsARead_atTheTimeTheyHappened() {
    ValueRecord r = hold("counted", Duration.ofHours(1));
    Contact peer = new Contact(NodeId.random(random), "b:1");

    node.handleFindValue(peer, r.key(), RecordKind.PLAIN);
    scheduler.advance(Duration.ofSeconds(30));
    node.get(r.key(), Duration.ofSeconds(5)).join();

    assertThat(node.readStats().of(StoredKey.of(r)))
        .isEqualTo(new ReadStats.Reads(scheduler.now(), 2));
    HeldRecord listed = node.inventory(null, 10).records().get(0);
    assertThat(listed.reads().count()).isEqualTo(2);
  }

  @Test
  void aFindValueForAKeyNotHeld_orOfAnotherKind_countsNothing() {
    ValueRecord r = hold("plain-only", Duration.ofHours(1));

    node.handleFindValue(null, NodeId.ofKey("absent"), RecordKind.PLAIN);
    node.handleFindValue(null, r.key(), RecordKind.CONTENT);

    assertThat(node.readStats().size()).isZero();
  }

  @Test
  void theReadsOfARecordThatExpired_areForgottenAtTheNextPurge() {
    ValueRecord r = hold("short-lived", Duration.ofSeconds(5));
    node.handleFindValue(null, r.key(), RecordKind.PLAIN);
    assertThat(node.readStats().size()).isEqualTo(1);
    node.start();

    scheduler.advance(Duration.ofSeconds(30));

    assertThat(node.store().recordCount()).isZero();
    assertThat(node.readStats().size()).isZero();
    node.close();
  }
}
