package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PlacementTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final int K = 4;

  private final Random random = new Random(5);
  /** First bit set: every ID that starts with a 0 bit is closer than this node to a 0-bit key. */
  private final NodeId self = id(0x80, 0);
  private final NodeId farKey = id(0x00, 0x77);
  private final NodeConfig config = NodeConfig.builder().k(K)
      .maxRecordsPerPeer(2).maxBytesPerPeer(1 << 20).build();
  private final RoutingTable table = new RoutingTable(self, K, 4, 3, NOW);
  private final InMemoryRecordStore store = new InMemoryRecordStore(100, 1 << 20);
  private final Placement placement = new Placement(config, self, table, store);
  private final NodeId sender = NodeId.random(random);

  private static NodeId id(int first, int second) {
    byte[] b = new byte[NodeId.BYTES];
    b[0] = (byte) first;
    b[1] = (byte) second;
    b[31] = 1;
    return NodeId.fromBytes(b);
  }

  private void knowCloserContacts(int n) {
    for (int i = 0; i < n; i++) {
      table.seen(new Contact(id(0x00, 0x10 + i), "closer" + i + ":1"), NOW);
    }
  }

  private ValueRecord record(NodeId key) {
    return ValueRecord.value(key, new byte[] {1}, new Version(1, sender), NOW.plusSeconds(600));
  }

  @Test
  void storeForAKey_withKCloserLiveContactsKnownFarNearer_isRefused_namingThem() {
    knowCloserContacts(K);

    assertThatThrownBy(() -> placement.requireAmongClosest(farKey, sender))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.RESOURCE_EXHAUSTED))
        .hasMessageContaining("this node is not among the closest to key " + farKey.shortHex())
        .hasMessageContaining("it knows 4 closer nodes");
  }

  @Test
  void storeForAKey_withFewerThanKCloserContacts_orNearThisNode_isAccepted() {
    knowCloserContacts(K - 1);
    placement.requireAmongClosest(farKey, sender);

    knowCloserContacts(K);
    placement.requireAmongClosest(id(0x80, 0x01), sender); // shares this node's first bits
  }

  @Test
  void storeForAKey_fromOneOfTheKCloserContacts_isAccepted() {
    knowCloserContacts(K);
    placement.requireAmongClosest(farKey, id(0x00, 0x10)); // a leaver hands its records over
  }

  @Test
  void storeForAKey_withKCloserContactsWithinTheDistanceSlack_isAccepted() {
    // 0x40… is about 3.4 times as far from key 0 as 0x13…, within the slack of 4; 0x04… is not.
    NodeId near = id(0x40, 0);
    NodeId key = id(0x00, 0);
    RoutingTable t = new RoutingTable(near, K, 4, 3, NOW);
    Placement p = new Placement(config, near, t, store);
    for (int i = 0; i < K; i++) t.seen(new Contact(id(0x10 + i, 0), "c" + i + ":1"), NOW);
    p.requireAmongClosest(key, sender);

    RoutingTable dense = new RoutingTable(near, K, 4, 3, NOW);
    for (int i = 0; i < K; i++) dense.seen(new Contact(id(0x01 + i, 0), "d" + i + ":1"), NOW);
    assertThatThrownBy(() -> new Placement(config, near, dense, store).requireAmongClosest(key, sender))
        .hasMessageContaining("not among the closest");
  }

  @Test
  void peerOverItsQuota_isRefused_withWhatItPlacedAndTheFlags_whileThisNodesOwnWritesFit() {
    placement.put(record(NodeId.random(random)), sender, NOW);
    placement.put(record(NodeId.random(random)), sender, NOW);
    ValueRecord third = record(NodeId.random(random));

    assertThatThrownBy(() -> placement.put(third, sender, NOW))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.RESOURCE_EXHAUSTED))
        .hasMessage("sender " + sender.shortHex() + "… has placed 2 records / "
            + 2 * third.storedBytes() + " bytes here, the limit per peer is 2 records / 1048576 "
            + "bytes (--max-records-per-peer / --max-bytes-per-peer)");
    assertThat(placement.put(third, null, NOW)).isTrue();
    assertThat(placement.put(record(NodeId.random(random)), NodeId.random(random), NOW)).isTrue();
  }

  @Test
  void peerOverItsQuota_withExpiredRecords_isServedAfterAPurge() {
    placement.put(ValueRecord.value(NodeId.random(random), new byte[] {1}, new Version(1, sender),
        NOW.plusSeconds(1)), sender, NOW);
    placement.put(record(NodeId.random(random)), sender, NOW);

    assertThat(placement.put(record(NodeId.random(random)), sender, NOW.plusSeconds(2))).isTrue();
    assertThat(store.placedBy(sender).records()).isEqualTo(2);
  }
}
