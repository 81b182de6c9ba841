package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.PeerMessages.bytes;
import static io.kadmesh.server.grpc.PeerMessages.contact;
import static io.kadmesh.server.grpc.PeerMessages.header;
import static io.kadmesh.server.grpc.PeerMessages.instant;
import static io.kadmesh.server.grpc.PeerMessages.record;
import static io.kadmesh.server.grpc.PeerMessages.store;
import static io.kadmesh.server.grpc.PeerMessages.toolHeader;
import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status.Code;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.NotifyRequest;
import io.kadmesh.proto.v1.NotifyResponse;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.SubscribeRequest;
import io.kadmesh.proto.v1.SubscribeResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Subscribe and Notify on the peer port: answers, the header checks, and the notifications sent. */
class SubscribeNotifyServiceTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final Random random = new Random(7);

  private static SubscribeRequest subscribe(RequestHeader header, NodeId key, long ttlSeconds) {
    return SubscribeRequest.newBuilder().setHeader(header).setKey(bytes(key))
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(ttlSeconds)).build();
  }

  /** A peer that answers pings and keeps the notifications it receives, answering {@code wanted}. */
  private static final class Subscriber extends PeerMessages.AnsweringPeer {
    final List<NotifyRequest> received = new CopyOnWriteArrayList<>();

    Subscriber(Contact self) {
      super(self, List.of());
    }

    @Override
    public void notify(NotifyRequest request, StreamObserver<NotifyResponse> observer) {
      received.add(request);
      observer.onNext(NotifyResponse.newBuilder().setHeader(header).setSubscribed(true).build());
      observer.onCompleted();
    }
  }

  @Test
  void subscribe_answersTheRecordsHeld_andAnExpiryShortenedToTheMaximum() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("held");
    PeerRecord record = record(key, "value", 100, NodeId.random(random));
    Contact caller = nodes.answeringPeer(NodeId.random(random));
    kademlia.store(store(header(caller), record));

    Instant before = Instant.now();
    SubscribeResponse answer = kademlia.subscribe(subscribe(header(caller), key, 3600));

    assertThat(answer.getRecordsList()).containsExactly(record);
    assertThat(instant(answer.getExpiresAt()))
        .isBetween(before.plus(Duration.ofMinutes(10)), Instant.now().plus(Duration.ofMinutes(10)));
    assertThat(answer.getHeader().getResponder().getNodeId()).isEqualTo(bytes(node.node().self().id()));
  }

  @Test
  void storeOfANewerVersion_notifiesTheSubscriber_withTheRecord() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("watched");
    Contact self = contact(NodeId.random(random), TestNodes.address("subscriber"));
    Subscriber subscriber = new Subscriber(self);
    nodes.serve(self.getAddress(), subscriber);
    kademlia.subscribe(subscribe(header(self), key, 120));

    PeerRecord record = record(key, "changed", 200, NodeId.random(random));
    kademlia.store(store(header(self), record));
    await().atMost(Duration.ofSeconds(5)).until(() -> !subscriber.received.isEmpty());

    NotifyRequest notify = subscriber.received.get(0);
    assertThat(notify.getKey()).isEqualTo(bytes(key));
    assertThat(notify.getRecordsList()).containsExactly(record);
    assertThat(notify.getHeader().getSender().getNodeId()).isEqualTo(bytes(node.node().self().id()));
  }

  @Test
  void notify_fromAPeerThisNodeDidNotSubscribeTo_answersNotSubscribed() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("unwatched");
    Contact stranger = nodes.answeringPeer(NodeId.random(random));

    NotifyResponse answer = kademlia.notify(NotifyRequest.newBuilder().setHeader(header(stranger))
        .setKey(bytes(key)).addRecords(record(key, "pushed", 1, NodeId.random(random))).build());

    assertThat(answer.getSubscribed()).isFalse();
    assertThat(node.node().store().recordCount()).isZero();
  }

  @Test
  void subscribeAndNotify_withBadHeadersOrFields_failNamingTheField() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId key = NodeId.ofKey("k");
    Contact caller = nodes.answeringPeer(NodeId.random(random));
    RequestHeader foreign = header(caller).toBuilder().setNetwork("elsewhere").build();

    assertFails(() -> kademlia.subscribe(subscribe(toolHeader(), key, 60)),
        Code.INVALID_ARGUMENT, "header.sender");
    assertFails(() -> kademlia.subscribe(subscribe(foreign, key, 60)),
        Code.FAILED_PRECONDITION, "network");
    assertFails(() -> kademlia.subscribe(subscribe(header(caller), key, 0)),
        Code.INVALID_ARGUMENT, "ttl");
    assertFails(() -> kademlia.subscribe(SubscribeRequest.newBuilder().setHeader(header(caller))
        .setKey(ByteString.copyFrom(new byte[5])).build()), Code.INVALID_ARGUMENT, "key");
    assertFails(() -> kademlia.notify(NotifyRequest.newBuilder().setHeader(toolHeader())
        .setKey(bytes(key)).build()), Code.INVALID_ARGUMENT, "header.sender");
    assertFails(() -> kademlia.notify(NotifyRequest.newBuilder().setHeader(header(caller))
        .setKey(bytes(key)).addRecords(PeerRecord.newBuilder().setKey(bytes(key))).build()),
        Code.INVALID_ARGUMENT, "records");
  }

  @Test
  void subscriberOverItsLimit_isRefusedResourceExhausted() {
    KadmeshServer node = nodes.start(NodeConfig.builder().watch(new io.kadmesh.core.WatchLimits(
        Duration.ofMinutes(2), Duration.ofMinutes(10), 1, 100, 16, 16, 16)).build());
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    Contact caller = nodes.answeringPeer(NodeId.random(random));
    kademlia.subscribe(subscribe(header(caller), NodeId.ofKey("one"), 60));

    assertFails(() -> kademlia.subscribe(subscribe(header(caller), NodeId.ofKey("two"), 60)),
        Code.RESOURCE_EXHAUSTED, "maxSubscriptionsPerSubscriber");
  }
}
