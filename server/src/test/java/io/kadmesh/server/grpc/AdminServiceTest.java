package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status.Code;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.AnnounceRequest;
import io.kadmesh.proto.v1.ContactInfo;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.DrainRequest;
import io.kadmesh.proto.v1.DrainResponse;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.ListContactsRequest;
import io.kadmesh.proto.v1.ListRecordsRequest;
import io.kadmesh.proto.v1.ListRecordsResponse;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.RecordInfo;
import io.kadmesh.proto.v1.RecordKind;
import io.kadmesh.proto.v1.ResolveRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Admin service over the in-process transport: inventory, routing table, drain. */
class AdminServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final NodeConfig CONFIG = NodeConfig.builder()
      .rpcTimeout(Duration.ofMillis(500))
      .operationTimeout(Duration.ofSeconds(3))
      .build();

  @RegisterExtension final TestNodes nodes = new TestNodes();

  private AdminGrpc.AdminBlockingStub admin(KadmeshServer node) {
    return AdminGrpc.newBlockingStub(nodes.channel(node.addresses().api()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private ServingStatus health(KadmeshServer node, String service) {
    return HealthGrpc.newBlockingStub(nodes.channel(node.addresses().api()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
  }

  private static void put(DhtGrpc.DhtBlockingStub dht, String key, String value) {
    dht.put(PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build());
  }

  private static ByteString keyOf(String key) {
    return ByteString.copyFrom(NodeId.ofKey(key).toBytes());
  }

  private static ListRecordsRequest page(int size, String token) {
    return ListRecordsRequest.newBuilder().setPageSize(size).setPageToken(token).build();
  }

  /** Every record, following next_page_token from the first page to the last. */
  private static List<RecordInfo> walk(AdminGrpc.AdminBlockingStub admin, int pageSize) {
    List<RecordInfo> out = new ArrayList<>();
    String token = "";
    do {
      ListRecordsResponse page = admin.listRecords(page(pageSize, token));
      assertThat(page.getRecordsCount()).isLessThanOrEqualTo(pageSize);
      out.addAll(page.getRecordsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return out;
  }

  // ---- ListRecords ------------------------------------------------------------------------------

  @Test
  void listRecords_afterPutsAndGets_listsEachRecordInKeyOrder_withItsReadsCounted() {
    KadmeshServer node = nodes.start(CONFIG);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    Instant before = Instant.now();
    put(dht, "alpha", "one");
    put(dht, "beta", "two two");
    put(dht, "gamma", "three");
    dht.get(GetRequest.newBuilder().setKey("beta").build());
    dht.get(GetRequest.newBuilder().setKey("beta").build());
    Instant after = Instant.now();

    ListRecordsResponse page = admin(node).listRecords(ListRecordsRequest.getDefaultInstance());

    assertThat(page.getTotal()).isEqualTo(3);
    assertThat(page.getNextPageToken()).isEmpty();
    assertThat(page.getRecordsList()).extracting(RecordInfo::getKey)
        .containsExactlyElementsOf(List.of(keyOf("alpha"), keyOf("beta"), keyOf("gamma")).stream()
            .sorted(ByteString.unsignedLexicographicalComparator()).toList());
    RecordInfo beta = page.getRecordsList().stream()
        .filter(r -> r.getKey().equals(keyOf("beta"))).findFirst().orElseThrow();
    assertThat(beta.getKind()).isEqualTo(RecordKind.RECORD_KIND_UNSPECIFIED);
    assertThat(beta.getValueBytes()).isEqualTo(7);
    assertThat(beta.getTombstone()).isFalse();
    assertThat(beta.getReadCount()).isEqualTo(2);
    assertThat(PeerMessages.instant(beta.getLastReadAt())).isBetween(before, after);
    assertThat(PeerMessages.instant(beta.getWrittenAt()))
        .isBetween(before.minusMillis(1), after);
    assertThat(PeerMessages.instant(beta.getExpiresAt())).isAfter(after.plus(Duration.ofHours(23)));
    RecordInfo alpha = page.getRecordsList().stream()
        .filter(r -> r.getKey().equals(keyOf("alpha"))).findFirst().orElseThrow();
    assertThat(alpha.getReadCount()).isZero();
    assertThat(alpha.hasLastReadAt()).isFalse();
  }

  @Test
  void listRecords_inPagesOfTwo_visitsEveryRecordOnce_andEndsWithAnEmptyToken() {
    KadmeshServer node = nodes.start(CONFIG);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    for (int i = 0; i < 7; i++) put(dht, "key-" + i, "v" + i);

    List<RecordInfo> all = walk(admin(node), 2);

    assertThat(all).extracting(RecordInfo::getKey).doesNotHaveDuplicates().hasSize(7)
        .isSortedAccordingTo(ByteString.unsignedLexicographicalComparator());
  }

  @Test
  void listRecords_ofATombstoneAndAnEndpoint_saysTheirKindAndTombstone() {
    KadmeshServer node = nodes.start(CONFIG);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    put(dht, "gone", "soon");
    dht.delete(io.kadmesh.proto.v1.DeleteRequest.newBuilder().setKey("gone").build());
    dht.announce(AnnounceRequest.newBuilder().setService("orders").setEndpoint("10.0.0.5:8080")
        .build());

    List<RecordInfo> all = walk(admin(node), 100);

    assertThat(all).anySatisfy(r -> {
      assertThat(r.getKey()).isEqualTo(keyOf("gone"));
      assertThat(r.getTombstone()).isTrue();
      assertThat(r.getValueBytes()).isZero();
    });
    assertThat(all).anySatisfy(r -> {
      assertThat(r.getKind()).isEqualTo(RecordKind.RECORD_KIND_ENDPOINT);
      assertThat(r.getName()).isEqualTo("10.0.0.5:8080");
      assertThat(r.getPublicKey().size()).isEqualTo(32);
      assertThat(r.hasWrittenAt()).isFalse();
    });
  }

  @Test
  void listRecords_withAPageSizeOverTheLimit_isInvalidArgumentNamingTheFieldAndLimit() {
    KadmeshServer node = nodes.start(CONFIG);

    assertFails(() -> admin(node).listRecords(page(1001, "")), Code.INVALID_ARGUMENT,
        "page_size is 1001, the limit is 1000");
  }

  @Test
  void listRecords_withATokenNoAnswerGave_isInvalidArgumentNamingTheField() {
    KadmeshServer node = nodes.start(CONFIG);
    AdminGrpc.AdminBlockingStub admin = admin(node);

    byte[] plainWithSubKey = new byte[40]; // format 1, a key, kind PLAIN, and a sub-key
    plainWithSubKey[0] = 1;
    for (String token : List.of("not base64!", "AAAA", "x".repeat(5000),
        java.util.Base64.getUrlEncoder().encodeToString(plainWithSubKey))) {
      assertFails(() -> admin.listRecords(page(10, token)), Code.INVALID_ARGUMENT, "page_token");
    }
  }

  // ---- ListContacts -----------------------------------------------------------------------------

  @Test
  void listContacts_ofTwoJoinedNodes_listsTheOtherWithItsBucketAndLastContact() {
    KadmeshServer a = nodes.start(CONFIG);
    KadmeshServer b = nodes.start(CONFIG, x -> x.bootstrap(List.of(a.addresses().advertised())));
    await().atMost(WAIT).until(() -> !a.node().contacts().isEmpty() && !b.node().contacts().isEmpty());

    List<ContactInfo> contacts = admin(b).listContacts(ListContactsRequest.getDefaultInstance())
        .getContactsList();

    assertThat(contacts).hasSize(1);
    ContactInfo known = contacts.get(0);
    assertThat(known.getNodeId()).isEqualTo(ByteString.copyFrom(a.node().self().id().toBytes()));
    assertThat(known.getAddress()).isEqualTo(a.addresses().advertised());
    assertThat(known.getBucket())
        .isEqualTo(b.node().routingTable().bucketIndex(a.node().self().id()));
    assertThat(known.hasLastSeenAt()).isTrue();
    assertThat(known.getStale()).isFalse();
    assertThat(known.getReplacement()).isFalse();
  }

  // ---- Drain ------------------------------------------------------------------------------------

  @Test
  void drain_reportsNotServing_withdrawsTheAnnouncements_handsRecordsOff_andStillAnswersReads() {
    KadmeshServer a = nodes.start(CONFIG);
    KadmeshServer b = nodes.start(CONFIG, x -> x.bootstrap(List.of(a.addresses().advertised())));
    await().atMost(WAIT).until(() -> health(b, "") == ServingStatus.SERVING
        && !a.node().contacts().isEmpty());
    DhtGrpc.DhtBlockingStub dhtB = nodes.dht(b);
    put(dhtB, "kept", "value");
    dhtB.announce(AnnounceRequest.newBuilder().setService("orders").setEndpoint("10.0.0.5:8080")
        .build());

    DrainResponse first = admin(b).drain(DrainRequest.getDefaultInstance());

    assertThat(first.getAlreadyDrained()).isFalse();
    assertThat(first.getAnnouncementsWithdrawn()).isEqualTo(1);
    assertThat(first.getRecordsHeld()).isEqualTo(2); // the value and the endpoint entry
    assertThat(first.getRecordsHandedOff()).isEqualTo(2);
    assertThat(first.getTimedOut()).isFalse();
    for (String service : List.of("", DhtGrpc.SERVICE_NAME, AdminGrpc.SERVICE_NAME)) {
      assertThat(health(b, service)).isEqualTo(ServingStatus.NOT_SERVING);
    }
    assertThat(nodes.dht(a).resolve(ResolveRequest.newBuilder().setService("orders").build())
        .getEndpointsList()).isEmpty();
    assertThat(nodes.dht(b).get(GetRequest.newBuilder().setKey("kept").build()).getFound()).isTrue();
    assertThat(nodes.dht(a).get(GetRequest.newBuilder().setKey("kept").build()).getFound()).isTrue();

    DrainResponse again = admin(b).drain(DrainRequest.getDefaultInstance());

    assertThat(again.getAlreadyDrained()).isTrue();
    assertThat(again.getAnnouncementsWithdrawn()).isZero();
    assertThat(health(b, "")).isEqualTo(ServingStatus.NOT_SERVING);
  }

  @Test
  void drain_ofALoneNode_handsNothingOff_butStillGoesOutOfService() {
    KadmeshServer node = nodes.start(CONFIG);
    put(nodes.dht(node), "only-here", "value");

    DrainResponse drained = admin(node).drain(DrainRequest.getDefaultInstance());

    assertThat(drained.getRecordsHeld()).isEqualTo(1);
    assertThat(drained.getRecordsHandedOff()).isZero();
    assertThat(health(node, "")).isEqualTo(ServingStatus.NOT_SERVING);
  }
}
