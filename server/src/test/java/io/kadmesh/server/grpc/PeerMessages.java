package io.kadmesh.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
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
import io.kadmesh.proto.v1.ResponseHeader;
import io.kadmesh.proto.v1.StoreRequest;
import io.kadmesh.proto.v1.StoreResponse;
import io.kadmesh.proto.v1.Version;
import java.time.Instant;

/** Builds the peer protocol's messages as another node (or a tool) would send them. */
final class PeerMessages {
  private PeerMessages() {}

  static Contact contact(NodeId id, String address) {
    return Contact.newBuilder().setNodeId(ByteString.copyFrom(id.toBytes())).setAddress(address).build();
  }

  /** The header a node of the default network sends. */
  static RequestHeader header(Contact sender) {
    return RequestHeader.newBuilder()
        .setSender(sender)
        .setNetwork(NodeConfig.DEFAULT_NETWORK)
        .setProtocolVersion(PeerProtocol.VERSION)
        .build();
  }

  /** The header a tool (no contact of its own) sends. */
  static RequestHeader toolHeader() {
    return RequestHeader.newBuilder()
        .setNetwork(NodeConfig.DEFAULT_NETWORK)
        .setProtocolVersion(PeerProtocol.VERSION)
        .build();
  }

  static PingRequest ping(RequestHeader header) {
    return PingRequest.newBuilder().setHeader(header).build();
  }

  static FindNodeRequest findNode(RequestHeader header, NodeId target) {
    return FindNodeRequest.newBuilder().setHeader(header).setTarget(bytes(target)).build();
  }

  static FindValueRequest findValue(RequestHeader header, NodeId key) {
    return FindValueRequest.newBuilder().setHeader(header).setKey(bytes(key)).build();
  }

  static StoreRequest store(RequestHeader header, PeerRecord record) {
    return StoreRequest.newBuilder().setHeader(header).setRecord(record).build();
  }

  /** A live value record of {@code key} at {@code sequence}, expiring in an hour. */
  static PeerRecord record(NodeId key, String value, long sequence, NodeId writer) {
    return PeerRecord.newBuilder()
        .setKey(bytes(key))
        .setValue(ByteString.copyFromUtf8(value))
        .setVersion(Version.newBuilder().setSequence(sequence).setWriterId(bytes(writer)))
        .setExpiresAt(timestamp(Instant.now().plusSeconds(3600)))
        .build();
  }

  static ByteString bytes(NodeId id) {
    return ByteString.copyFrom(id.toBytes());
  }

  static NodeId id(ByteString bytes) {
    return NodeId.fromBytes(bytes.toByteArray());
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }

  static Instant instant(Timestamp ts) {
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  /**
   * A peer that answers Ping, FindNode and FindValue as the node {@code self} (with {@code
   * closest} and no record, whatever the target; null: never), and leaves Store unanswered.
   */
  static class AnsweringPeer extends KademliaGrpc.KademliaImplBase {
    /** Its own contact, for the answers of subclasses. */
    final ResponseHeader header;
    private final java.util.List<Contact> closest;

    AnsweringPeer(Contact self, java.util.List<Contact> closest) {
      this.header = ResponseHeader.newBuilder().setResponder(self).build();
      this.closest = closest;
    }

    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> observer) {
      observer.onNext(PingResponse.newBuilder().setHeader(header).build());
      observer.onCompleted();
    }

    @Override
    public void findNode(FindNodeRequest request, StreamObserver<FindNodeResponse> observer) {
      if (closest == null) return;
      observer.onNext(FindNodeResponse.newBuilder().setHeader(header).addAllClosest(closest).build());
      observer.onCompleted();
    }

    @Override
    public void findValue(FindValueRequest request, StreamObserver<FindValueResponse> observer) {
      if (closest == null) return;
      observer.onNext(FindValueResponse.newBuilder().setHeader(header).addAllClosest(closest).build());
      observer.onCompleted();
    }

    /** Silent too without contacts to give; else unimplemented, as a peer that stores nothing. */
    @Override
    public void store(StoreRequest request, StreamObserver<StoreResponse> observer) {
      if (closest == null) return;
      super.store(request, observer);
    }
  }

  /** A peer that accepts every call and never answers: the caller's deadline is all that ends it. */
  static final class SilentPeer extends KademliaGrpc.KademliaImplBase {
    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> observer) {}

    @Override
    public void findNode(FindNodeRequest request, StreamObserver<FindNodeResponse> observer) {}

    @Override
    public void findValue(FindValueRequest request, StreamObserver<FindValueResponse> observer) {}

    @Override
    public void store(StoreRequest request, StreamObserver<StoreResponse> observer) {}
  }
}
