package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.StoredKey;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The maps maintenance keeps stay bounded whatever peers send. */
class BoundedBookkeepingTest {
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Random random = new Random(9);
  private final NodeConfig config = NodeConfig.defaults();
  private final InMemoryRecordStore store = new InMemoryRecordStore(10, 1 << 20);

  @Test
  void keysStoredByPeers_areRememberedUpToTheBound_andTheRestAreRepublishedInstead() {
    Republisher republisher = new Republisher(config, store, scheduler, random, null, null, null,
        NodeMetrics.NONE);
    StoredKey remembered = new StoredKey(NodeId.random(random), RecordKind.PLAIN);
    republisher.storedByPeer(remembered);
    for (int i = 0; i < Republisher.MAX_REMEMBERED + 5000; i++) {
      republisher.storedByPeer(new StoredKey(NodeId.random(random), RecordKind.PLAIN));
    }
    republisher.storedByPeer(remembered); // refreshed, not added

    assertThat(republisher.rememberedKeys()).isEqualTo(Republisher.MAX_REMEMBERED);
  }

  @Test
  void newcomersWaitingForAHandOff_areBounded_theLongestWaitingDropped() {
    Contact self = new Contact(NodeId.random(random), "self:1");
    RoutingTable table = new RoutingTable(self.id(), config.k(), 4, 3, scheduler.now());
    HandOff handOff = new HandOff(config, self, table, store, scheduler, null, null,
        NodeMetrics.NONE);
    // The pass is scheduled but not run: time does not move here.
    for (int i = 0; i < HandOff.MAX_PENDING * 3; i++) {
      handOff.newContact(new Contact(NodeId.random(random), "n" + i + ":1"));
    }

    assertThat(handOff.pendingNewcomers()).isEqualTo(HandOff.MAX_PENDING);
  }
}
