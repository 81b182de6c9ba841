package io.kadmesh.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindNodeResponse;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.ResponseHeader;
import io.kadmesh.proto.v1.StoreRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The core's {@link PeerTransport} over gRPC: one channel per peer address, reused by every call
 * and closed when the node forgets the contact; every call carries this node's header and a
 * deadline.
 */
public final class GrpcPeerTransport implements PeerTransport, AutoCloseable {
  private final RequestHeader header;
  private final Duration rpcTimeout;
  private final Function<String, ManagedChannel> channelFactory;
  private final ConcurrentHashMap<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param channelFactory opens a channel to a peer address (Netty in production, in-process in
   *     tests)
   */
  public GrpcPeerTransport(Contact self, String network, Duration rpcTimeout,
      Function<String, ManagedChannel> channelFactory) {
    this.header = RequestHeader.newBuilder()
        .setSender(ProtoCodec.encode(self))
        .setNetwork(network)
        .setProtocolVersion(PeerProtocol.VERSION)
        .build();
    this.rpcTimeout = rpcTimeout;
    this.channelFactory = channelFactory;
  }

  @Override
  public CompletableFuture<Contact> ping(String address) {
    CompletableFuture<Contact> result = new CompletableFuture<>();
    stub(address).ping(PingRequest.newBuilder().setHeader(header).build(),
        observer(result, response -> responder(response.getHeader())));
    return result;
  }

  @Override
  public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
    CompletableFuture<List<Contact>> result = new CompletableFuture<>();
    FindNodeRequest request = FindNodeRequest.newBuilder()
        .setHeader(header)
        .setTarget(ProtoCodec.encode(target))
        .build();
    stub(to.address()).findNode(request, observer(result, (FindNodeResponse response) -> {
      checkResponder(to, response.getHeader());
      return contacts(response.getClosestList());
    }));
    return result;
  }

  @Override
  public CompletableFuture<FoundValue> findValue(Contact to, NodeId key) {
    CompletableFuture<FoundValue> result = new CompletableFuture<>();
    FindValueRequest request = FindValueRequest.newBuilder()
        .setHeader(header)
        .setKey(ProtoCodec.encode(key))
        .build();
    stub(to.address()).findValue(request, observer(result, (FindValueResponse response) -> {
      checkResponder(to, response.getHeader());
      ValueRecord record = response.hasRecord()
          ? ProtoCodec.decode(response.getRecord(), "record")
          : null;
      if (record != null && !record.key().equals(key)) {
        throw new WireFormatException("peer " + to + " answered a record of another key");
      }
      return new FoundValue(record, contacts(response.getClosestList()));
    }));
    return result;
  }

  @Override
  public CompletableFuture<Boolean> store(Contact to, ValueRecord record) {
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    StoreRequest request = StoreRequest.newBuilder()
        .setHeader(header)
        .setRecord(ProtoCodec.encode(record))
        .build();
    stub(to.address()).store(request, observer(result, response -> {
      checkResponder(to, response.getHeader());
      return response.getStored();
    }));
    return result;
  }

  @Override
  public void forget(Contact contact) {
    ManagedChannel channel = channels.remove(contact.address());
    if (channel != null) {
      channel.shutdown();
    }
  }

  /** How many peer channels are open; for tests and `info`. */
  public int openChannels() {
    return channels.size();
  }

  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      try {
        if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    channels.clear();
  }

  private KademliaGrpc.KademliaStub stub(String address) {
    if (closed) {
      throw new IllegalStateException("transport is closed");
    }
    ManagedChannel channel = channels.computeIfAbsent(address, channelFactory);
    return KademliaGrpc.newStub(channel)
        .withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  private static Contact responder(ResponseHeader header) {
    if (!header.hasResponder()) {
      throw new WireFormatException("response header has no responder");
    }
    return ProtoCodec.decode(header.getResponder(), "header.responder");
  }

  /** A node now answering at a contact's address under another ID is not that contact. */
  private static void checkResponder(Contact expected, ResponseHeader header) {
    Contact actual = responder(header);
    if (!actual.id().equals(expected.id())) {
      throw new WireFormatException("expected node " + expected.id().shortHex() + " at "
          + expected.address() + " but " + actual.id().shortHex() + " answered");
    }
  }

  private static List<Contact> contacts(List<io.kadmesh.proto.v1.Contact> wire) {
    List<Contact> out = new ArrayList<>(wire.size());
    for (io.kadmesh.proto.v1.Contact c : wire) {
      out.add(ProtoCodec.decode(c, "closest"));
    }
    return out;
  }

  /** Completes {@code result} with the decoded response, or with the failure or decoding error. */
  private static <R, T> StreamObserver<R> observer(CompletableFuture<T> result, Function<R, T> decode) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R response) {
        try {
          result.complete(decode.apply(response));
        } catch (RuntimeException e) {
          result.completeExceptionally(e);
        }
      }

      @Override
      public void onError(Throwable t) {
        result.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        // A unary call's single response already completed the future.
      }
    };
  }
}
