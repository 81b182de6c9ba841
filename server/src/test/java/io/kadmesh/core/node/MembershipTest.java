package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.AddressResolver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.InMemoryContactStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What the membership probes, wired to the table and liveness as a node wires them, on virtual time. */
class MembershipTest {
  private static final int K = 2;
  private static final int CACHE = 1;
  private final Random random = new Random(8);
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final NodeConfig config = NodeConfig.defaults();
  private final Contact self = new Contact(NodeId.random(random), "10.0.0.1:7000");
  // Fresh heads: a full bucket caches newcomers without pinging its head, so every ping counted
  // below is the membership's.
  private final RoutingTable table = new RoutingTable(self.id(), K, CACHE, 3,
      Duration.ofMinutes(5), scheduler.now());
  private final AnsweringTransport transport = new AnsweringTransport();
  private final ContactLiveness liveness = new ContactLiveness(table, transport, scheduler,
      config.rpcTimeout(), c -> {}, c -> {});
  private final Membership membership = new Membership(config, self, table, transport,
      new InMemoryContactStore(), scheduler, liveness,
      new SeedPings(self, transport, AddressResolver.IDENTITY, scheduler, config.rpcTimeout()),
      addresses -> CompletableFuture.completedFuture(null), () -> {});
  private int n;

  MembershipTest() {
    table.setRemovalListener(membership::contactRemoved);
  }

  private Contact answeringInFarBucket() {
    Contact c = new Contact(self.id().randomWithPrefix(0, random), "10.0.1." + (++n) + ":7000");
    transport.answering.put(c.address(), c);
    return c;
  }

  @Test
  void newcomersOverflowingAFullReplacementCache_areNotProbedAsLost_soALiveMeshSendsNoPings() {
    List<Contact> held = new ArrayList<>();
    for (int i = 0; i < K; i++) {
      Contact c = answeringInFarBucket();
      liveness.seen(c);
      held.add(c);
    }
    membership.start(List.of(held.get(0).address()));
    // More live candidates than k + the cache: each newcomer pushes the oldest cached one out.
    for (int i = 0; i < 4; i++) {
      liveness.seen(answeringInFarBucket());
    }

    scheduler.advance(Duration.ofMinutes(1));

    assertThat(transport.pings).as("pings in a minute of a mesh where every node answers")
        .isZero();
    assertThat(table.contacts()).containsExactlyInAnyOrderElementsOf(held);
    assertThat(membership.isServing()).isTrue();
  }

  /** Answers pings at the addresses it was given with their contact, 10 ms later. */
  private final class AnsweringTransport implements PeerTransport {
    final Map<String, Contact> answering = new HashMap<>();
    int pings;

    @Override
    public CompletableFuture<Contact> ping(String address) {
      pings++;
      Contact c = answering.get(address);
      CompletableFuture<Contact> answer = new CompletableFuture<>();
      scheduler.schedule(Duration.ofMillis(10), () -> {
        if (c == null) {
          answer.completeExceptionally(new RuntimeException("refused"));
        } else {
          answer.complete(c);
        }
      });
      return answer;
    }

    @Override
    public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind) {
      return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<StoreResult> store(Contact to, ValueRecord record) {
      return new CompletableFuture<>();
    }

    @Override
    public void forget(String address) {
    }
  }
}
