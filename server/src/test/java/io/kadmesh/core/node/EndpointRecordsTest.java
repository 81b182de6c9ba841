package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.DhtException.Reason;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.sim.ForwardingPeerHandler;
import io.kadmesh.core.sim.PeerHandler;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.records.SignedPayload;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Endpoint entries between nodes of an in-memory network: announced from several nodes and
 * resolved as one set from another, withdrawn by a signed tombstone, bounded per service and per
 * announcer on every replica, gathered from replicas that each hold part of the set, and never
 * taken from a lying peer.
 */
class EndpointRecordsTest extends VirtualMeshFixture {
  private final KeyPair alice = Ed25519Keys.generate();
  private final KeyPair bob = Ed25519Keys.generate();

  private ValueRecord entry(KeyPair announcer, String service, String address, long seq,
      boolean withdrawn) {
    EndpointEntry e = EndpointEntry.of(service, address, Map.of("v", "1"), new byte[32]);
    return EndpointRecords.sign(e, seq, expiry(), withdrawn, announcer);
  }

  private static List<String> addresses(List<ValueRecord> records) {
    return records.stream().map(r -> EndpointRecords.entry(r).address()).toList();
  }

  private static List<ValueRecord> live(List<ValueRecord> records) {
    return records.stream().filter(r -> !r.isTombstone()).toList();
  }

  @Test
  void entriesOfTwoAnnouncers_putFromTwoNodes_resolveFromAThird_asOneSet() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1", "d:1");
    ValueRecord fromAlice = entry(alice, "web", "10.0.0.1:80", 1, false);
    ValueRecord fromBob = entry(bob, "web", "10.0.0.2:80", 1, false);

    assertThat(await(n.get(0).putEndpoint(fromAlice, TIMEOUT)).replicas()).isEqualTo(4);
    assertThat(await(n.get(1).putEndpoint(fromBob, TIMEOUT)).replicas()).isEqualTo(4);
    List<ValueRecord> resolved = await(n.get(2).resolve(n.get(2).serviceKeyOf("web"), TIMEOUT));

    assertThat(resolved).containsExactlyInAnyOrder(fromAlice, fromBob);
    assertThat(await(n.get(3).resolve(n.get(3).serviceKeyOf("db"), TIMEOUT))).isEmpty();
    assertThat(await(n.get(3).get(fromAlice.key(), RecordKind.SIGNED, TIMEOUT))).isEmpty();
  }

  @Test
  void signedWithdrawal_replacesItsEntry_isResolvedAsATombstone_andAnOlderSeqLosesToIt() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    ValueRecord one = entry(alice, "web", "10.0.0.1:80", 1, false);
    ValueRecord two = entry(alice, "web", "10.0.0.2:80", 1, false);
    await(n.get(0).putEndpoint(one, TIMEOUT));
    await(n.get(0).putEndpoint(two, TIMEOUT));
    ValueRecord withdrawn = entry(alice, "web", "10.0.0.1:80", 2, true);

    await(n.get(1).putEndpoint(withdrawn, TIMEOUT));
    List<ValueRecord> resolved = await(n.get(2).resolve(one.key(), TIMEOUT));

    assertThat(resolved).containsExactlyInAnyOrder(withdrawn, two);
    assertThat(addresses(live(resolved))).containsExactly("10.0.0.2:80");
    DhtException older = failure(n.get(2).putEndpoint(one, TIMEOUT));
    assertThat(older.reason()).isEqualTo(Reason.CONFLICT);
    assertThat(older).hasMessageContaining("seq 2");
  }

  @Test
  void expiredEntry_isLeftOut_ofResolve() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    Instant soon = scheduler.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(30);
    ValueRecord shortLived = EndpointRecords.sign(
        EndpointEntry.of("web", "s:1", Map.of(), new byte[32]), 1, soon, false, alice);
    ValueRecord lasting = entry(bob, "web", "l:1", 1, false);
    await(n.get(0).putEndpoint(shortLived, TIMEOUT));
    await(n.get(0).putEndpoint(lasting, TIMEOUT));

    scheduler.advance(Duration.ofSeconds(31));

    assertThat(await(n.get(1).resolve(lasting.key(), TIMEOUT))).containsExactly(lasting);
  }

  @Test
  void replicasHoldingParts_ofTheSet_resolveAsTheUnion_andAreRepairedAfter() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1", "d:1");
    ValueRecord onB = entry(alice, "web", "b-only:1", 1, false);
    ValueRecord onC = entry(bob, "web", "c-only:1", 1, false);
    n.get(1).handleStore(n.get(0).self(), onB);
    n.get(2).handleStore(n.get(0).self(), onC);

    List<ValueRecord> resolved = await(n.get(3).resolve(onB.key(), TIMEOUT));
    scheduler.advance(Duration.ofSeconds(30));

    assertThat(resolved).containsExactlyInAnyOrder(onB, onC);
    for (KademliaNode replica : n) {
      assertThat(replica.store().getAll(onB.key(), RecordKind.ENDPOINT, scheduler.now()))
          .as("repaired on %s", replica.self()).containsExactlyInAnyOrder(onB, onC);
    }
  }

  @Test
  void resolve_whenTheClosestReplicasAgree_asksAQuorumOfThemNotEveryReplica_andRepairsNothing() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1", "d:1", "e:1", "f:1", "g:1", "h:1");
    ValueRecord web = entry(alice, "web", "10.0.0.1:80", 1, false);
    await(n.get(0).putEndpoint(web, TIMEOUT));
    AtomicInteger finds = new AtomicInteger();
    AtomicInteger stores = new AtomicInteger();
    for (KademliaNode replica : n.subList(0, 7)) {
      PeerHandler truth = PeerHandler.of(replica);
      network.register(new ForwardingPeerHandler(truth) {
        @Override
        public FoundValue handleFindValue(Contact s, NodeId key, RecordKind kind) {
          finds.incrementAndGet();
          return truth.handleFindValue(s, key, kind);
        }

        @Override
        public io.kadmesh.core.StoreResult handleStore(Contact s, ValueRecord r) {
          stores.incrementAndGet();
          return truth.handleStore(s, r);
        }
      });
    }

    List<ValueRecord> resolved = await(n.get(7).resolve(web.key(), TIMEOUT));
    scheduler.advance(Duration.ofSeconds(30));

    assertThat(resolved).containsExactly(web);
    // Every node is a replica (8 < k): this node's own copy and two more make the Get quorum of
    // 3; α = 3 requests go out at first, one more may follow an early answer.
    assertThat(finds.get()).isBetween(2, 4);
    assertThat(stores.get()).isZero();
  }

  @Test
  void resolve_whenTheClosestReplicaMissedAnEntry_stillAnswersIt_andRepairsThatReplica() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1", "d:1", "e:1", "f:1", "g:1", "h:1");
    KademliaNode resolver = n.get(7);
    ValueRecord web = entry(alice, "web", "10.0.0.1:80", 1, false);
    KademliaNode closest = n.subList(0, 7).stream()
        .min((x, y) -> web.key().compareDistance(x.self().id(), y.self().id())).orElseThrow();
    // Written to every replica but the closest to the key and the resolver itself.
    for (KademliaNode replica : n.subList(0, 7)) {
      if (replica != closest) replica.handleStore(resolver.self(), web);
    }

    List<ValueRecord> resolved = await(resolver.resolve(web.key(), TIMEOUT));
    scheduler.advance(Duration.ofSeconds(30));

    assertThat(resolved).containsExactly(web);
    assertThat(closest.store().getAll(web.key(), RecordKind.ENDPOINT, scheduler.now()))
        .containsExactly(web);
    assertThat(resolver.store().getAll(web.key(), RecordKind.ENDPOINT, scheduler.now()))
        .containsExactly(web);
  }

  @Test
  void quotas_refuseANewEntryBeyondTheAnnouncerAndServiceCaps_butNotARenewalOrWithdrawal() {
    config = NodeConfig.builder().maxServiceEntries(3).maxEntriesPerAnnouncer(2).build();
    List<KademliaNode> n = mesh("a:1", "b:1");
    KademliaNode replica = n.get(1);
    Contact sender = n.get(0).self();
    replica.handleStore(sender, entry(alice, "web", "a1:1", 1, false));
    replica.handleStore(sender, entry(alice, "web", "a2:1", 1, false));

    assertThatThrownBy(() -> replica.handleStore(sender, entry(alice, "web", "a3:1", 1, false)))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.RESOURCE_EXHAUSTED))
        .hasMessageContaining("--max-entries-per-announcer");
    // A newer state of a held entry takes no new room.
    assertThat(replica.handleStore(sender, entry(alice, "web", "a2:1", 2, true)).stored()).isTrue();
    assertThat(replica.handleStore(sender, entry(alice, "web", "a1:1", 2, false)).stored()).isTrue();

    replica.handleStore(sender, entry(bob, "web", "b1:1", 1, false));
    assertThatThrownBy(() -> replica.handleStore(sender, entry(bob, "web", "b2:1", 1, false)))
        .hasMessageContaining("--max-service-entries");
    // The node's own write meets the same caps: its own copy is refused, the other node's kept,
    // which is short of the write quorum of 2.
    DhtException own = failure(replica.putEndpoint(entry(bob, "web", "b3:1", 1, false), TIMEOUT));
    assertThat(own.reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(own).hasMessageContaining("only 1 of the 2 replicas");
    assertThat(addresses(replica.store().getAll(n.get(0).serviceKeyOf("web"),
        RecordKind.ENDPOINT, scheduler.now()))).containsExactlyInAnyOrder("a1:1", "a2:1", "b1:1");
  }

  @Test
  void aLyingPeersForgedEntries_areNeitherResolvedNorRepaired_andHonestOnesStillResolve() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1", "d:1");
    ValueRecord honest = entry(alice, "web", "10.0.0.1:80", 1, false);
    await(n.get(0).putEndpoint(honest, TIMEOUT));
    // Alice's key, the liar's signature: a withdrawal of her entry and an entry she never made.
    KeyPair liar = Ed25519Keys.generate();
    ValueRecord forgedWithdrawal = forged(honest, "10.0.0.1:80", 9, true, liar);
    ValueRecord forgedEntry = forged(honest, "10.6.6.6:80", 1, false, liar);
    AtomicInteger asked = new AtomicInteger();
    PeerHandler truth = PeerHandler.of(n.get(1));
    network.register(new ForwardingPeerHandler(truth) {
      @Override
      public FoundValue handleFindValue(Contact s, NodeId key, RecordKind kind) {
        asked.incrementAndGet();
        FoundValue real = truth.handleFindValue(s, key, kind);
        return new FoundValue(null, real.closest(), List.of(forgedWithdrawal, forgedEntry));
      }
    });

    List<ValueRecord> resolved = await(n.get(3).resolve(honest.key(), TIMEOUT));
    scheduler.advance(Duration.ofSeconds(30));

    assertThat(asked.get()).isPositive();
    assertThat(resolved).containsExactly(honest);
    for (KademliaNode node : List.of(n.get(0), n.get(2), n.get(3))) {
      assertThat(node.store().getAll(honest.key(), RecordKind.ENDPOINT, scheduler.now()))
          .containsExactly(honest);
    }
  }

  @Test
  void republish_carriesEveryEntryOfAService_toReplicasThatMissedThem() {
    List<KademliaNode> n = mesh("a:1", "b:1", "c:1");
    n.forEach(KademliaNode::start);
    ValueRecord one = entry(alice, "web", "one:1", 1, false);
    ValueRecord two = entry(alice, "web", "two:1", 1, false);
    ValueRecord gone = entry(bob, "web", "gone:1", 3, true);
    for (ValueRecord r : List.of(one, two, gone)) n.get(0).store().put(r);

    scheduler.advance(NodeConfig.defaults().republishInterval().plusMinutes(5));

    for (KademliaNode other : n.subList(1, 3)) {
      assertThat(other.store().getAll(one.key(), RecordKind.ENDPOINT, scheduler.now()))
          .as("on %s", other.self()).containsExactlyInAnyOrder(one, two, gone);
    }
    n.forEach(KademliaNode::close);
  }

  @Test
  void handOff_givesANewcomerAmongTheClosestEveryEntryOfAService() {
    List<KademliaNode> n = mesh("a:1", "b:1");
    ValueRecord one = entry(alice, "web", "one:1", 1, false);
    ValueRecord two = entry(bob, "web", "two:1", 1, false);
    await(n.get(0).putEndpoint(one, TIMEOUT));
    await(n.get(1).putEndpoint(two, TIMEOUT));

    KademliaNode newcomer = node("c:1");
    await(newcomer.join(List.of("a:1")));
    scheduler.advance(Duration.ofMinutes(1));

    assertThat(newcomer.store().getAll(one.key(), RecordKind.ENDPOINT, scheduler.now()))
        .containsExactlyInAnyOrder(one, two);
  }

  /** An entry claiming {@code victim}'s announcer key, signed by {@code signer}. */
  private ValueRecord forged(ValueRecord victim, String address, long seq, boolean withdrawn,
      KeyPair signer) {
    byte[] value = EndpointEntry.of("web", address, Map.of(), new byte[32]).encode();
    byte[] signature = new SignedPayload(SignedPayload.Domain.ENDPOINT, address, seq, value,
        victim.expiresAt().getEpochSecond(), withdrawn).sign(signer.getPrivate());
    return ValueRecord.endpoint(victim.key(), value, victim.expiresAt(), withdrawn,
        new RecordSignature(victim.signature().publicKey(), address, seq, signature));
  }
}
