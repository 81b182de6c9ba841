package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.PeerMessages.contact;
import static io.kadmesh.server.grpc.PeerMessages.header;
import static io.kadmesh.server.grpc.PeerMessages.record;
import static io.kadmesh.server.grpc.PeerMessages.store;
import static io.kadmesh.server.grpc.PeerMessages.toolHeader;
import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.RequestHeader;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The flood: one sender's STOREs fill its own quota, never the node's store. */
class PeerQuotaTest {
  private static final long STORE_BYTES = 10L << 20;
  private static final long PER_PEER_BYTES = 2L << 20;
  private static final String VALUE = "x".repeat(60_000);

  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final Random random = new Random(8);
  private final NodeConfig config = NodeConfig.builder()
      .maxStoredBytes(STORE_BYTES).maxBytesPerPeer(PER_PEER_BYTES).build();

  /** Sends {@code count} STOREs of 60 KB under random keys; answers how many were refused. */
  private int flood(KademliaGrpc.KademliaBlockingStub kademlia, RequestHeader header, int count) {
    int refused = 0;
    for (int i = 0; i < count; i++) {
      try {
        kademlia.store(store(header, record(NodeId.random(random), VALUE, 1, NodeId.random(random))));
      } catch (StatusRuntimeException e) {
        assertThat(e.getStatus().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).contains("--max-bytes-per-peer");
        refused++;
      }
    }
    return refused;
  }

  @Test
  void twoHundredStoresOf60KbFromOneSender_fillOnlyItsQuota_andAnHonestPutStillFits() {
    KadmeshServer node = nodes.start(config);
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);

    int refused = flood(kademlia, toolHeader(), 200);

    assertThat(refused).isGreaterThan(160);
    assertThat(node.node().store().storedBytes()).isLessThanOrEqualTo(PER_PEER_BYTES);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    dht.put(PutRequest.newBuilder().setKey("honest")
        .setValue(ByteString.copyFromUtf8("y".repeat(40_000))).build());
    assertThat(node.node().store().recordCount()).isEqualTo(200 - refused + 1);
  }

  @Test
  void senderOverItsQuota_isToldWhatItPlacedAndTheLimit_whileAnotherSenderIsServed() {
    KadmeshServer node = nodes.start(config);
    KademliaGrpc.KademliaBlockingStub kademlia = nodes.kademlia(node);
    NodeId flooder = NodeId.random(random);
    RequestHeader flooding = header(contact(flooder, TestNodes.address("flooder")));
    flood(kademlia, flooding, 40);

    assertFails(() -> kademlia.store(store(flooding,
            record(NodeId.random(random), VALUE, 1, NodeId.random(random)))),
        Code.RESOURCE_EXHAUSTED, "sender " + flooder.shortHex(), "has placed 34 records",
        "the limit per peer is", "--max-records-per-peer / --max-bytes-per-peer");
    RequestHeader other = header(contact(NodeId.random(random), TestNodes.address("other")));
    assertThat(flood(kademlia, other, 3)).isZero();
  }
}
