package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Republish, leave, hand-off and purge walk a node's store a page at a time, as blocking work
 * (off the scheduler's thread), never the whole store at once.
 */
class StoreWalkNodeTest {
  private static final int RECORDS = 5000;

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Random random = new Random(42);
  private final InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(1));
  private final NodeConfig config = NodeConfig.defaults();
  private final CountingRecordStore counted =
      new CountingRecordStore(new InMemoryRecordStore(100_000, 1L << 30), scheduler);
  private final KademliaNode full = node("full:1", counted);
  private final List<KademliaNode> others = new ArrayList<>();

  private KademliaNode node(String address, RecordStore store) {
    Contact self = new Contact(NodeId.random(random), address);
    KademliaNode n = new KademliaNode(config, self, network.transportFor(self), store, scheduler,
        new Random(address.hashCode()));
    network.register(n);
    return n;
  }

  private void fill() {
    NodeId writer = full.self().id();
    for (int i = 0; i < RECORDS; i++) {
      full.store().put(ValueRecord.value(NodeId.random(random), ("v" + i).getBytes(),
          new Version(1, writer), scheduler.now().plus(Duration.ofHours(6))));
    }
  }

  private void joinOthers(int n) {
    for (int i = 0; i < n; i++) {
      KademliaNode o = node("other" + i + ":1", new InMemoryRecordStore(100_000, 1L << 30));
      others.add(o);
      o.join(List.of(full.self().address()));
      scheduler.advance(Duration.ofSeconds(5));
    }
  }

  private long heldByOthers() {
    return others.stream().mapToLong(o -> o.store().recordCount()).sum();
  }

  private void assertWalkedInPagesOffTheScheduler() {
    assertThat(counted.scans).isPositive();
    assertThat(counted.largestPage).isLessThanOrEqualTo(RecordStore.SCAN_BATCH);
    assertThat(counted.forEachCalls).isZero();
    assertThat(counted.offThePool).isZero();
  }

  @Test
  void handOff_toNewcomers_walksTheStoreInPagesOffTheScheduler_andGivesThemRecords() {
    fill();
    joinOthers(3);

    assertWalkedInPagesOffTheScheduler();
    assertThat(counted.scannedRecords).isGreaterThanOrEqualTo(RECORDS);
    assertThat(heldByOthers()).isPositive();
  }

  @Test
  void republishRound_walksTheStoreInPagesOffTheScheduler_andReachesEveryRecord() {
    joinOthers(3);
    fill();
    int scansBefore = counted.scans;
    long scannedBefore = counted.scannedRecords;

    full.start(); // the first round comes within one republish interval
    boolean spread = scheduler.runUntil(() -> heldByOthers() == 3L * RECORDS,
        config.republishInterval().plus(Duration.ofMinutes(10)));
    full.close();

    assertThat(spread).isTrue();
    assertThat(counted.scans - scansBefore).isEqualTo(RECORDS / RecordStore.SCAN_BATCH + 1);
    assertThat(counted.scannedRecords - scannedBefore).isEqualTo(RECORDS);
    assertWalkedInPagesOffTheScheduler();
  }

  @Test
  void leave_handsEveryRecordOver_aPageAtATime_offTheScheduler() {
    joinOthers(3);
    fill();

    CompletableFuture<Void> left = full.leave(Duration.ofMinutes(10));
    scheduler.runUntil(left::isDone, Duration.ofMinutes(10));

    assertThat(left).isCompleted();
    assertWalkedInPagesOffTheScheduler();
    for (KademliaNode o : others) {
      assertThat(o.store().recordCount()).isEqualTo(RECORDS);
    }
  }

  @Test
  void expiryPurge_runsAsBlockingWork() {
    full.start();
    scheduler.advance(config.expiryInterval().multipliedBy(3));

    assertThat(counted.purges).isPositive();
    assertThat(counted.offThePool).isZero();
    full.close();
  }
}
