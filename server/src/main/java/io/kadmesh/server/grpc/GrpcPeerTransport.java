package io.kadmesh.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.StoreResult;
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
import java.util.function.BiConsumer;
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
    PingRequest request = PingRequest.newBuilder().setHeader(header).build();
    return call(address, (stub, result) ->
        stub.ping(request, observer(result, response -> responder(response.getHeader()))));
  }

  @Override
  public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
    FindNodeRequest request = FindNodeRequest.newBuilder()
        .setHeader(header)
        .setTarget(ProtoCodec.encode(target))
        .build();
    return call(to.address(), (stub, result) ->
        stub.findNode(request, observer(result, (FindNodeResponse response) -> {
          checkResponder(to, response.getHeader());
          return contacts(response.getClosestList());
        })));
  }

  @Override
  public CompletableFuture<FoundValue> findValue(Contact to, NodeId key) {
    FindValueRequest request = FindValueRequest.newBuilder()
        .setHeader(header)
        .setKey(ProtoCodec.encode(key))
        .build();
    return call(to.address(), (stub, result) ->
        stub.findValue(request, observer(result, (FindValueResponse response) -> {
          checkResponder(to, response.getHeader());
          ValueRecord record = response.hasRecord()
              ? ProtoCodec.decode(response.getRecord(), "record")
              : null;
          if (record != null && !record.key().equals(key)) {
            throw new WireFormatException("peer " + to + " answered a record of another key");
          }
          return new FoundValue(record, contacts(response.getClosestList()));
        })));
  }

  @Override
  public CompletableFuture<StoreResult> store(Contact to, ValueRecord record) {
    StoreRequest request = StoreRequest.newBuilder()
        .setHeader(header)
        .setRecord(ProtoCodec.encode(record))
        .build();
    return call(to.address(), (stub, result) ->
        stub.store(request, observer(result, response -> {
          checkResponder(to, response.getHeader());
          return ProtoCodec.decode(response);
        })));
  }

  @Override
  public void forget(String address) {
    ManagedChannel channel = channels.remove(address);
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

  /** Starts a call on the peer's channel; a failure to even start it fails the future. */
  private <T> CompletableFuture<T> call(String address,
      BiConsumer<KademliaGrpc.KademliaStub, CompletableFuture<T>> invoke) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      if (closed) {
        throw new IllegalStateException("transport is closed");
      }
      ManagedChannel channel = channels.computeIfAbsent(address, channelFactory);
      invoke.accept(KademliaGrpc.newStub(channel)
          .withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS), result);
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
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

  /**
   * A peer that answered but would not keep a record (full, or it judged the record invalid) is
   * alive: the core must not count that against it, so it gets the core's own exception. Anything
   * else is a failure of the contact.
   */
  private static Throwable refusalOrFailure(Throwable t) {
    Status status = Status.fromThrowable(t);
    return switch (status.getCode()) {
      case RESOURCE_EXHAUSTED, INVALID_ARGUMENT -> StatusMapper.toDhtException(status, "peer refused: ");
      default -> t;
    };
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
        result.completeExceptionally(refusalOrFailure(t));
      }

      @Override
      public void onCompleted() {
        // A unary call's single response already completed the future.
      }
    };
  }
}
