package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status.Code;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.RecordKind;
import io.kadmesh.proto.v1.ResolveRequest;
import io.kadmesh.proto.v1.ResolveResponse;
import io.kadmesh.proto.v1.StoreResponse;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Resolve over gRPC, and endpoint entries on the peer port (STORE, FIND_VALUE's set). */
class EndpointServiceTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final KeyPair alice = Ed25519Keys.generate();
  private final KeyPair bob = Ed25519Keys.generate();

  private static ValueRecord entry(KeyPair announcer, String service, String address, long seq,
      boolean withdrawn, Map<String, String> metadata) {
    Instant expiry = Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(1));
    byte[] announcerId = new byte[32];
    announcerId[0] = (byte) address.length();
    return EndpointRecords.sign(EndpointEntry.of(service, address, metadata, announcerId), seq,
        expiry, withdrawn, announcer);
  }

  private StoreResponse store(KadmeshServer node, ValueRecord record) {
    return nodes.kademlia(node).store(PeerMessages.store(PeerMessages.toolHeader(),
        ProtoCodec.encode(record)));
  }

  private static ResolveRequest resolve(String service) {
    return ResolveRequest.newBuilder().setService(service).build();
  }

  @Test
  void resolve_answersTheLiveEndpoints_byAddressThenAnnouncer_withoutWithdrawnOnes() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    ValueRecord bobB = entry(bob, "web", "b:1", 1, false, Map.of("zone", "eu"));
    ValueRecord aliceA = entry(alice, "web", "a:1", 1, false, Map.of());
    ValueRecord bobA = entry(bob, "web", "a:1", 1, false, Map.of());
    for (ValueRecord r : List.of(bobB, aliceA, bobA, entry(alice, "web", "c:1", 1, false, Map.of()),
        entry(alice, "other", "d:1", 1, false, Map.of()))) {
      assertThat(store(node, r).getStored()).isTrue();
    }
    assertThat(store(node, entry(alice, "web", "c:1", 2, true, Map.of())).getStored()).isTrue();

    ResolveResponse answer = dht.resolve(resolve("web"));

    assertThat(answer.getEndpointsList()).extracting(Endpoint::getAddress)
        .containsExactly("a:1", "a:1", "b:1");
    Endpoint first = answer.getEndpoints(0);
    Endpoint second = answer.getEndpoints(1);
    // Equal addresses: the announcer IDs are equal too here, so the announcer keys order them.
    assertThat(java.util.Arrays.compareUnsigned(first.getAnnouncerKey().toByteArray(),
        second.getAnnouncerKey().toByteArray())).isNegative();
    Endpoint b = answer.getEndpoints(2);
    assertThat(b.getMetadataMap()).containsExactly(Map.entry("zone", "eu"));
    assertThat(b.getAnnouncerKey().toByteArray()).isEqualTo(Ed25519Keys.raw(bob.getPublic()));
    assertThat(b.getAnnouncer().toByteArray()).isEqualTo(EndpointRecords.entry(bobB).announcerId());
    assertThat(b.getExpiresAt().getSeconds()).isEqualTo(bobB.expiresAt().getEpochSecond());
    assertThat(dht.resolve(resolve("nothing here")).getEndpointsList()).isEmpty();
  }

  @Test
  void resolve_ofAnEmptyOrTooLongServiceName_isInvalid_namingTheLimit() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));

    assertFails(() -> dht.resolve(resolve("")), Code.INVALID_ARGUMENT,
        "service must be 1 to 256 bytes");
    assertFails(() -> dht.resolve(resolve("s".repeat(257))), Code.INVALID_ARGUMENT, "got 257");
  }

  @Test
  void findValue_ofTheEndpointKind_answersEveryEntryHeld_tombstonesIncluded() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    ValueRecord live = entry(alice, "web", "a:1", 1, false, Map.of());
    ValueRecord withdrawn = entry(bob, "web", "b:1", 4, true, Map.of());
    store(node, live);
    store(node, withdrawn);

    FindValueResponse answer = nodes.kademlia(node).findValue(PeerMessages
        .findValue(PeerMessages.toolHeader(), live.key()).toBuilder()
        .setKind(RecordKind.RECORD_KIND_ENDPOINT).build());

    assertThat(answer.hasRecord()).isFalse();
    assertThat(answer.getRecordsList().stream().map(r -> ProtoCodec.decode(r, "r")).toList())
        .containsExactlyInAnyOrder(live, withdrawn);
    assertThat(answer.getRecordsList()).allSatisfy(r -> {
      assertThat(r.getKind()).isEqualTo(RecordKind.RECORD_KIND_ENDPOINT);
      assertThat(r.hasVersion()).isFalse();
      assertThat(r.getValue().isEmpty()).isFalse();
    });
  }

  @Test
  void store_ofAnOlderSeq_answersHeldSeq_andBeyondTheAnnouncerCap_isExhausted() {
    KadmeshServer node = nodes.start(NodeConfig.builder().maxEntriesPerAnnouncer(1).build());
    assertThat(store(node, entry(alice, "web", "a:1", 3, false, Map.of())).getStored()).isTrue();

    StoreResponse older = store(node, entry(alice, "web", "a:1", 2, false, Map.of()));

    assertThat(older.getStored()).isFalse();
    assertThat(older.getHeldSeq()).isEqualTo(3);
    assertFails(() -> store(node, entry(alice, "web", "b:1", 1, false, Map.of())),
        Code.RESOURCE_EXHAUSTED, "--max-entries-per-announcer");
  }
}
