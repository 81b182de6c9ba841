package io.kadmesh.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.records.RecordKeys;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A service's endpoints watched from another node: announced, re-announced, withdrawn, expired. */
class EndpointWatchTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(3));
  private final NodeId service = NodeId.fromBytes(RecordKeys.serviceKey("orders"));
  private final KeyPair announcer = Ed25519Keys.generate();

  private KademliaNode node(String address) {
    Contact self = new Contact(NodeId.ofKey(address), address);
    KademliaNode n = new KademliaNode(NodeConfig.defaults(), self, network.transportFor(self),
        new InMemoryRecordStore(1000, 1L << 20), scheduler, new Random(address.hashCode()));
    network.register(n);
    return n;
  }

  private <T> T await(CompletableFuture<T> f) {
    scheduler.runUntil(f::isDone, Duration.ofMinutes(1));
    return f.join();
  }

  private io.kadmesh.core.ValueRecord entry(String zone, long seq, Duration ttl, boolean withdrawn) {
    EndpointEntry e = EndpointEntry.of("orders", "10.0.0.1:80", Map.of("zone", zone),
        new byte[EndpointEntry.ANNOUNCER_ID_BYTES]);
    Instant expires = scheduler.now().truncatedTo(ChronoUnit.SECONDS).plus(ttl);
    return EndpointRecords.sign(e, seq, expires, withdrawn, announcer);
  }

  @Test
  void serviceWatch_onAnotherNode_seesAddedUpdatedRemoved_andExpiry() {
    List<KademliaNode> n = List.of(node("a:1"), node("b:1"), node("c:1"));
    for (KademliaNode x : n) await(x.join(List.of("a:1")));
    List<String> heard = new CopyOnWriteArrayList<>();
    n.get(2).watch(service, RecordKind.ENDPOINT, e -> heard.add(e.type() + (e.record() == null ? ""
        : " " + EndpointRecords.entry(e.record()).metadata())));
    scheduler.runUntil(() -> heard.contains("SYNCED"), Duration.ofMinutes(1));

    await(n.get(0).putEndpoint(entry("a", 1, Duration.ofMinutes(5), false), TIMEOUT));
    scheduler.runUntil(() -> heard.size() >= 2, Duration.ofSeconds(5));
    await(n.get(1).putEndpoint(entry("b", 2, Duration.ofMinutes(5), false), TIMEOUT));
    scheduler.runUntil(() -> heard.size() >= 3, Duration.ofSeconds(5));
    await(n.get(0).putEndpoint(entry("b", 3, Duration.ofMinutes(5), true), TIMEOUT));
    scheduler.runUntil(() -> heard.size() >= 4, Duration.ofSeconds(5));
    await(n.get(0).putEndpoint(entry("c", 4, Duration.ofSeconds(30), false), TIMEOUT));
    scheduler.runUntil(() -> heard.size() >= 6, Duration.ofSeconds(40));

    assertThat(new ArrayList<>(heard)).containsExactly("SYNCED", "ENDPOINT_ADDED {zone=a}",
        "ENDPOINT_UPDATED {zone=b}", "ENDPOINT_REMOVED {zone=b}", "ENDPOINT_ADDED {zone=c}",
        "ENDPOINT_REMOVED {zone=c}");
  }
}
