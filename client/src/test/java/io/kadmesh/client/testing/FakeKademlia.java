package io.kadmesh.client.testing;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.proto.v1.ResponseHeader;
import java.util.Arrays;

/** A peer port that answers Ping as a fixed contact and remembers the last request. */
public final class FakeKademlia extends KademliaGrpc.KademliaImplBase {

  /** The responder's ID: 32 bytes of 0x01. */
  public static final ByteString NODE_ID = id();

  /** The responder's advertised address. */
  public static final String ADDRESS = "10.0.0.7:7701";

  private volatile PingRequest lastPing;
  private volatile Status failure;

  public void failWith(Status status) {
    this.failure = status;
  }

  public PingRequest lastPing() {
    return lastPing;
  }

  @Override
  public void ping(PingRequest request, StreamObserver<PingResponse> responses) {
    lastPing = request;
    if (failure != null) {
      responses.onError(failure.asRuntimeException());
      return;
    }
    Contact self = Contact.newBuilder().setNodeId(NODE_ID).setAddress(ADDRESS).build();
    responses.onNext(
        PingResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setResponder(self)).build());
    responses.onCompleted();
  }

  private static ByteString id() {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) 0x01);
    return ByteString.copyFrom(id);
  }
}
