package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.PeerMessages.bytes;
import static io.kadmesh.server.grpc.PeerMessages.contact;
import static io.kadmesh.server.grpc.PeerMessages.findNode;
import static io.kadmesh.server.grpc.PeerMessages.findValue;
import static io.kadmesh.server.grpc.PeerMessages.header;
import static io.kadmesh.server.grpc.PeerMessages.id;
import static io.kadmesh.server.grpc.PeerMessages.ping;
import static io.kadmesh.server.grpc.PeerMessages.record;
import static io.kadmesh.server.grpc.PeerMessages.store;
import static io.kadmesh.server.grpc.PeerMessages.toolHeader;
import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status.Code;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindNodeResponse;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.StoreRequest;
import java.time.Duration;
import io.kadmesh.proto.v1.StoreResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KademliaServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(TestNodes.CALL_DEADLINE_SECONDS);
  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final Random random = new Random(42);

  private Contact someContact() {
    return contact(NodeId.random(random), TestNodes.address("caller"));
  }

  private static io.kadmesh.core.Contact core(Contact c) {
    return new io.kadmesh.core.Contact(id(c.getNodeId()), c.getAddress());
  }

  // ---- Ping --------------------------------------------------------------------------------------------

  @Test
  void ping_fromANode_answersTheCalleesContactAndTheCalleeLearnsTheCaller() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Contact caller = nodes.answeringPeer(NodeId.random(random));

    PingResponse response = nodes.kademlia(node).ping(ping(header(caller)));

    assertThat(response.getHeader().getResponder())
        .isEqualTo(contact(node.node().self().id(), node.addresses().advertised()));
    // Learned once the caller answered the node's own ping at the address it claimed.
    await().atMost(WAIT).untilAsserted(() -> assertThat(node.node().contacts()).containsExactly(core(caller)));
  }

  @Test
  void ping_fromAToolWithoutSender_answersAndIsNotAdded() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    PingResponse response = nodes.kademlia(node).ping(ping(toolHeader()));

    assertThat(id(response.getHeader().getResponder().getNodeId())).isEqualTo(node.node().self().id());
    assertThat(node.node().contacts()).isEmpty();
  }

  @Test
  void ping_fromACallerClaimingTheCalleesOwnId_isNotAdded() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    nodes.kademlia(node).ping(ping(header(contact(node.node().self().id(), TestNodes.address("impostor")))));

    assertThat(node.node().contacts()).isEmpty();
  }

  // ---- FindNode / FindValue ------------------------------------------------------------------------------

  @Test
  void findNode_answersAtMostKContactsClosestFirstNeverTheCaller() {
    int k = 4;
    KadmeshServer node = nodes.start(NodeConfig.builder().k(k).build());
    NodeId self = node.node().self().id();
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    // One contact in each of the first ten buckets: no bucket fills, so the table holds all ten.
    List<Contact> known = new ArrayList<>();
    for (int bucket = 0; bucket < 10; bucket++) {
      Contact c = nodes.answeringPeer(self.randomWithPrefix(bucket, random));
      kademlia.ping(ping(header(c)));
      known.add(c);
    }
    await().atMost(WAIT).until(() -> node.node().contacts().size() == 10);
    Contact caller = known.get(9);
    NodeId target = id(caller.getNodeId()); // the caller is the closest to its own ID

    FindNodeResponse response = kademlia.findNode(findNode(header(caller), target));

    List<Contact> expected = known.stream()
        .filter(c -> !c.equals(caller))
        .sorted(Comparator.comparing(c -> id(c.getNodeId()), target::compareDistance))
        .limit(k)
        .toList();
    assertThat(response.getClosestList()).containsExactlyElementsOf(expected);
    assertThat(response.getHeader().getResponder().getNodeId()).isEqualTo(bytes(self));
  }

  @Test
  void findNode_ofALoneNode_answersNoContacts() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());

    FindNodeResponse response = nodes.kademlia(node)
        .findNode(findNode(toolHeader(), NodeId.random(random)));

    assertThat(response.getClosestList()).isEmpty();
  }

  @Test
  void findValue_afterStore_answersTheStoredRecord() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("stored");
    PeerRecord record = record(key, "value", 100, NodeId.random(random));

    boolean stored = kademlia.store(store(header(someContact()), record)).getStored();
    FindValueResponse found = kademlia.findValue(findValue(header(someContact()), key));

    assertThat(stored).isTrue();
    assertThat(found.getRecord()).isEqualTo(record);
    assertThat(found.getClosestList()).isEmpty();
  }

  @Test
  void findValue_ofAKeyNotHeld_answersTheClosestContactsAndNoRecord() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    Contact other = nodes.answeringPeer(NodeId.random(random));
    kademlia.ping(ping(header(other)));
    await().atMost(WAIT).until(() -> node.node().contacts().size() == 1);

    FindValueResponse found = kademlia.findValue(findValue(toolHeader(), NodeId.ofKey("absent")));

    assertThat(found.hasRecord()).isFalse();
    assertThat(found.getClosestList()).containsExactly(other);
  }

  @Test
  void findValue_ofAStoredTombstone_answersTheTombstone() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("deleted");
    PeerRecord tombstone = record(key, "", 5, NodeId.random(random)).toBuilder().setTombstone(true).build();
    kademlia.store(store(toolHeader(), tombstone));

    assertThat(kademlia.findValue(findValue(toolHeader(), key)).getRecord()).isEqualTo(tombstone);
  }

  // ---- Store -----------------------------------------------------------------------------------------------

  @Test
  void store_ofAnOlderVersion_answersNotStoredWithTheNewerHeld_andKeepsIt() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("versioned");
    NodeId writer = NodeId.random(random);
    PeerRecord newer = record(key, "new", 200, writer);
    kademlia.store(store(toolHeader(), newer));

    StoreResponse older = kademlia.store(store(toolHeader(), record(key, "old", 100, writer)));
    StoreResponse same = kademlia.store(store(toolHeader(), newer));

    assertThat(older.getStored()).isFalse();
    assertThat(older.getHeld()).isEqualTo(newer.getVersion());
    assertThat(same.getStored()).as("the version it already holds").isTrue();
    assertThat(same.hasHeld()).isFalse();
    assertThat(kademlia.findValue(findValue(toolHeader(), key)).getRecord()).isEqualTo(newer);
  }

  @Test
  void store_ofAnAlreadyExpiredRecord_answersNotStored() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    PeerRecord expired = record(NodeId.ofKey("old"), "v", 1, NodeId.random(random)).toBuilder()
        .setExpiresAt(PeerMessages.timestamp(Instant.now().minusSeconds(1))).build();

    assertThat(nodes.kademlia(node).store(store(toolHeader(), expired)).getStored()).isFalse();
    assertThat(node.node().store().recordCount()).isZero();
  }

  @Test
  void store_withMalformedRecords_failsInvalidArgumentNamingTheField() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    PeerRecord good = record(NodeId.ofKey("k"), "v", 1, NodeId.random(random));
    RequestHeader h = header(someContact());

    assertFails(() -> kademlia.store(StoreRequest.newBuilder().setHeader(h).build()),
        Code.INVALID_ARGUMENT, "record is required");
    assertFails(() -> kademlia.store(store(h, good.toBuilder().setKey(ByteString.copyFrom(new byte[31])).build())),
        Code.INVALID_ARGUMENT, "record.key", "32 bytes", "31");
    assertFails(() -> kademlia.store(store(h, good.toBuilder().clearVersion().build())),
        Code.INVALID_ARGUMENT, "record.version is required");
    assertFails(() -> kademlia.store(store(h, good.toBuilder()
            .setVersion(good.getVersion().toBuilder().setWriterId(ByteString.copyFrom(new byte[33]))).build())),
        Code.INVALID_ARGUMENT, "record.version.writer_id", "32 bytes", "33");
    assertFails(() -> kademlia.store(store(h, good.toBuilder()
            .setVersion(good.getVersion().toBuilder().setSequence(-1)).build())),
        Code.INVALID_ARGUMENT, "record.version.sequence");
    assertFails(() -> kademlia.store(store(h, good.toBuilder().clearExpiresAt().build())),
        Code.INVALID_ARGUMENT, "record.expires_at is required");
    assertFails(() -> kademlia.store(store(h, good.toBuilder()
            .setExpiresAt(good.getExpiresAt().toBuilder().setNanos(-1)).build())),
        Code.INVALID_ARGUMENT, "record.expires_at");
    assertFails(() -> kademlia.store(store(h, good.toBuilder().setTombstone(true).build())),
        Code.INVALID_ARGUMENT, "record.value", "tombstone");
    assertThat(node.node().store().recordCount()).isZero();
  }

  @Test
  void store_expiringBeyondTheMaximumTtl_failsInvalidArgumentNamingTheLimit() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    PeerRecord forever = record(NodeId.ofKey("k"), "v", 1, NodeId.random(random)).toBuilder()
        .setExpiresAt(PeerMessages.timestamp(Instant.now().plus(java.time.Duration.ofDays(30)))).build();

    assertFails(() -> nodes.kademlia(node).store(store(toolHeader(), forever)),
        Code.INVALID_ARGUMENT, "expires_at", "PT168H");
  }

  @Test
  void store_withAVersionBeyondTheClockSkew_failsInvalidArgumentNamingTheLimitAndKeepsTheHonestRecord() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("k1");
    long nowMicros = Instant.now().toEpochMilli() * 1000;
    PeerRecord honest = record(key, "honest", nowMicros, NodeId.random(random));
    kademlia.store(store(toolHeader(), honest));
    long year2100 = Instant.parse("2100-01-01T00:00:00Z").toEpochMilli() * 1000;
    for (long sequence : new long[] {year2100, Long.MAX_VALUE}) {
      PeerRecord forged = record(key, "forged", sequence, NodeId.random(random));

      assertFails(() -> kademlia.store(store(toolHeader(), forged)),
          Code.INVALID_ARGUMENT, "record.version.sequence", "--max-clock-skew");
    }
    assertThat(kademlia.findValue(findValue(toolHeader(), key)).getRecord()).isEqualTo(honest);
  }

  @Test
  void store_ofAValueOverTheLimit_failsResourceExhausted() {
    KadmeshServer node = nodes.start(NodeConfig.builder().maxValueBytes(8).build());
    PeerRecord big = record(NodeId.ofKey("k"), "123456789", 1, NodeId.random(random));

    assertFails(() -> nodes.kademlia(node).store(store(toolHeader(), big)),
        Code.RESOURCE_EXHAUSTED, "value", "9", "8");
  }

  @Test
  void store_whenTheStoreIsFull_failsResourceExhaustedNamingTheLimit() {
    KadmeshServer node = nodes.start(NodeConfig.builder().maxRecords(1).build());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId writer = NodeId.random(random);
    kademlia.store(store(toolHeader(), record(NodeId.ofKey("first"), "1", 1, writer)));

    assertFails(() -> kademlia.store(store(toolHeader(), record(NodeId.ofKey("second"), "2", 1, writer))),
        Code.RESOURCE_EXHAUSTED, "full", "1 records");
  }

  // ---- headers ---------------------------------------------------------------------------------------------

  @Test
  void everyRpc_fromAnotherNetwork_failsFailedPreconditionAndIsNotAdded() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    RequestHeader foreign = header(someContact()).toBuilder().setNetwork("elsewhere").build();

    assertFails(() -> kademlia.ping(ping(foreign)), Code.FAILED_PRECONDITION, "kadmesh", "elsewhere");
    assertFails(() -> kademlia.findNode(findNode(foreign, NodeId.random(random))),
        Code.FAILED_PRECONDITION, "network");
    assertFails(() -> kademlia.findValue(findValue(foreign, NodeId.random(random))),
        Code.FAILED_PRECONDITION, "network");
    assertFails(() -> kademlia.store(store(foreign, record(NodeId.ofKey("k"), "v", 1, NodeId.random(random)))),
        Code.FAILED_PRECONDITION, "network");
    assertThat(node.node().contacts()).isEmpty();
    assertThat(node.node().store().recordCount()).isZero();
  }

  @Test
  void ping_withAnotherProtocolVersion_failsFailedPreconditionNamingTheVersion() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);

    assertFails(() -> kademlia.ping(ping(header(someContact()).toBuilder().setProtocolVersion(2).build())),
        Code.FAILED_PRECONDITION, "protocol version 2", "version 1");
    assertFails(() -> kademlia.ping(ping(header(someContact()).toBuilder().setProtocolVersion(0).build())),
        Code.FAILED_PRECONDITION, "protocol version 0");
    assertThat(node.node().contacts()).isEmpty();
  }

  @Test
  void everyRpc_withoutHeader_failsInvalidArgumentNamingTheHeader() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);

    assertFails(() -> kademlia.ping(PingRequest.getDefaultInstance()), Code.INVALID_ARGUMENT, "header");
    assertFails(() -> kademlia.findNode(FindNodeRequest.newBuilder()
        .setTarget(bytes(NodeId.random(random))).build()), Code.INVALID_ARGUMENT, "header");
    assertFails(() -> kademlia.findValue(FindValueRequest.newBuilder()
        .setKey(bytes(NodeId.random(random))).build()), Code.INVALID_ARGUMENT, "header");
    assertFails(() -> kademlia.store(StoreRequest.newBuilder()
        .setRecord(record(NodeId.ofKey("k"), "v", 1, NodeId.random(random))).build()),
        Code.INVALID_ARGUMENT, "header");
  }

  @Test
  void ping_withASenderIdOfTheWrongLength_failsInvalidArgumentNamingFieldAndLength() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    Contact shortId = someContact().toBuilder().setNodeId(ByteString.copyFrom(new byte[5])).build();
    Contact noId = someContact().toBuilder().clearNodeId().build();

    assertFails(() -> kademlia.ping(ping(header(shortId))),
        Code.INVALID_ARGUMENT, "header.sender.node_id", "32 bytes", "got 5");
    assertFails(() -> kademlia.ping(ping(header(noId))),
        Code.INVALID_ARGUMENT, "header.sender.node_id", "32 bytes", "got 0");
    assertThat(node.node().contacts()).isEmpty();
  }

  @Test
  void ping_fromAWildcardOrMalformedSenderAddress_failsInvalidArgumentAndIsNotAdded() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId id = NodeId.random(random);

    assertFails(() -> kademlia.ping(ping(header(contact(id, "0.0.0.0:7701")))),
        Code.INVALID_ARGUMENT, "header.sender.address", "0.0.0.0:7701");
    assertFails(() -> kademlia.ping(ping(header(contact(id, "[::]:7701")))),
        Code.INVALID_ARGUMENT, "header.sender.address");
    assertFails(() -> kademlia.ping(ping(header(contact(id, "no-port")))),
        Code.INVALID_ARGUMENT, "header.sender.address", "HOST:PORT");
    assertFails(() -> kademlia.ping(ping(header(contact(id, "host:99999")))),
        Code.INVALID_ARGUMENT, "header.sender.address");
    assertFails(() -> kademlia.ping(ping(header(contact(id, "h".repeat(300) + ":1")))),
        Code.INVALID_ARGUMENT, "header.sender.address", "260");
    assertThat(node.node().contacts()).isEmpty();
  }

  @Test
  void findNodeAndFindValue_withATargetOfTheWrongLength_failInvalidArgumentNamingTheField() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    RequestHeader h = header(someContact());

    assertFails(() -> kademlia.findNode(FindNodeRequest.newBuilder().setHeader(h)
            .setTarget(ByteString.copyFrom(new byte[31])).build()),
        Code.INVALID_ARGUMENT, "target", "32 bytes", "got 31");
    assertFails(() -> kademlia.findNode(FindNodeRequest.newBuilder().setHeader(h).build()),
        Code.INVALID_ARGUMENT, "target", "32 bytes", "got 0");
    assertFails(() -> kademlia.findValue(FindValueRequest.newBuilder().setHeader(h)
            .setKey(ByteString.copyFrom(new byte[64])).build()),
        Code.INVALID_ARGUMENT, "key", "32 bytes", "got 64");
  }
}
