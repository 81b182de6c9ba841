package io.kadmesh.server.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindNodeResponse;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.NotifyRequest;
import io.kadmesh.proto.v1.NotifyResponse;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.SubscribeRequest;
import io.kadmesh.proto.v1.SubscribeResponse;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.ResponseHeader;
import io.kadmesh.proto.v1.StoreRequest;
import io.kadmesh.proto.v1.StoreResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The core's {@link PeerTransport} over gRPC: one channel per peer address, reused by every call
 * and closed when the node forgets the contact; every call carries this node's header and a
 * deadline. At most {@code maxChannels} channels are open: opening one more closes the least
 * recently used (gracefully: its calls in flight finish), so that peers handing out thousands of
 * addresses cannot make this node hold a connection to each.
 */
public final class GrpcPeerTransport implements PeerTransport, AutoCloseable {
  /** How grpc-java's deframer begins its refusal of a message over the inbound limit. */
  private static final String OVERSIZED_MESSAGE = "gRPC message exceeds maximum size";

  private final RequestHeader header;
  private final Duration rpcTimeout;
  private final Function<String, ManagedChannel> channelFactory;
  /** The default bound on open channels: well above a routing table's live contacts. */
  public static final int DEFAULT_MAX_CHANNELS = 512;

  private final int maxChannels;
  /** By address, least recently used first. Guarded by itself. */
  private final LinkedHashMap<String, ManagedChannel> channels = new LinkedHashMap<>(16, 0.75f, true);
  private volatile boolean closed;
  private final ClientInterceptor interceptor;

  private static final ClientInterceptor NO_INTERCEPTOR = new ClientInterceptor() {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
        Channel next) {
      return next.newCall(method, options);
    }
  };

  /**
   * @param channelFactory opens a channel to a peer address (Netty in production, in-process in
   *     tests)
   */
  public GrpcPeerTransport(Contact self, String network, Duration rpcTimeout,
      Function<String, ManagedChannel> channelFactory) {
    this(self, network, rpcTimeout, channelFactory, DEFAULT_MAX_CHANNELS);
  }

  /** {@code maxChannels}: how many peer channels may be open at once. */
  public GrpcPeerTransport(Contact self, String network, Duration rpcTimeout,
      Function<String, ManagedChannel> channelFactory, int maxChannels) {
    this(self, network, rpcTimeout, channelFactory, maxChannels, NO_INTERCEPTOR);
  }

  /**
   * {@code interceptor}: sees every request this transport sends, whatever made its channel (the
   * node's metrics count them here, over Netty and in-process alike).
   */
  GrpcPeerTransport(Contact self, String network, Duration rpcTimeout,
      Function<String, ManagedChannel> channelFactory, int maxChannels,
      ClientInterceptor interceptor) {
    this.interceptor = interceptor;
    if (maxChannels < 1) throw new IllegalArgumentException("maxChannels must be at least 1: " + maxChannels);
    this.maxChannels = maxChannels;
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
    return call(address, (stub, observer) -> stub.ping(request, observer),
        PingResponse::getHeader, (responder, response) -> responder);
  }

  @Override
  public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
    FindNodeRequest request = FindNodeRequest.newBuilder()
        .setHeader(header)
        .setTarget(ProtoCodec.encode(target))
        .build();
    return call(to.address(), (stub, observer) -> stub.findNode(request, observer),
        FindNodeResponse::getHeader, (responder, response) -> {
          checkResponder(to, responder);
          return contacts(response.getClosestList());
        });
  }

  @Override
  public CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind) {
    FindValueRequest request = FindValueRequest.newBuilder()
        .setHeader(header)
        .setKey(ProtoCodec.encode(key))
        .setKind(ProtoCodec.encode(kind))
        .build();
    return call(to.address(), (stub, observer) -> stub.findValue(request, observer),
        FindValueResponse::getHeader, (responder, response) -> {
          checkResponder(to, responder);
          // Whether the record is of the key and kind asked for is the caller's to check, for
          // every transport alike (PeerTransport#findValue).
          ValueRecord record = response.hasRecord()
              ? ProtoCodec.decode(response.getRecord(), "record")
              : null;
          List<ValueRecord> records = new ArrayList<>(response.getRecordsCount());
          for (int i = 0; i < response.getRecordsCount(); i++) {
            records.add(ProtoCodec.decode(response.getRecords(i), "records[" + i + "]"));
          }
          return new FoundValue(record, contacts(response.getClosestList()), records);
        });
  }

  @Override
  public CompletableFuture<StoreResult> store(Contact to, ValueRecord record) {
    StoreRequest request = StoreRequest.newBuilder()
        .setHeader(header)
        .setRecord(ProtoCodec.encode(record))
        .build();
    return call(to.address(), (stub, observer) -> stub.store(request, observer),
        StoreResponse::getHeader, (responder, response) -> {
          checkResponder(to, responder);
          return ProtoCodec.decode(response);
        });
  }

  @Override
  public CompletableFuture<Subscription> subscribe(Contact to, NodeId key, RecordKind kind,
      Duration ttl) {
    SubscribeRequest request = SubscribeRequest.newBuilder()
        .setHeader(header)
        .setKey(ProtoCodec.encode(key))
        .setKind(ProtoCodec.encode(kind))
        .setTtl(com.google.protobuf.Duration.newBuilder()
            .setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()))
        .build();
    return call(to.address(), (stub, observer) -> stub.subscribe(request, observer),
        SubscribeResponse::getHeader, (responder, response) -> {
          checkResponder(to, responder);
          if (!response.hasExpiresAt()) {
            throw new WireFormatException("expires_at is required");
          }
          List<ValueRecord> records = new ArrayList<>(response.getRecordsCount());
          for (PeerRecord r : response.getRecordsList()) {
            records.add(ProtoCodec.decode(r, "records"));
          }
          return new Subscription(ProtoCodec.decode(response.getExpiresAt(), "expires_at"), records);
        });
  }

  @Override
  public CompletableFuture<Boolean> notify(Contact to, NodeId key, RecordKind kind,
      List<ValueRecord> records) {
    NotifyRequest.Builder request = NotifyRequest.newBuilder()
        .setHeader(header)
        .setKey(ProtoCodec.encode(key))
        .setKind(ProtoCodec.encode(kind));
    records.forEach(r -> request.addRecords(ProtoCodec.encode(r)));
    NotifyRequest built = request.build();
    return call(to.address(), (stub, observer) -> stub.notify(built, observer),
        NotifyResponse::getHeader, (responder, response) -> {
          checkResponder(to, responder);
          return response.getSubscribed();
        });
  }

  @Override
  public void forget(String address) {
    ManagedChannel channel;
    synchronized (channels) {
      channel = channels.remove(address);
    }
    if (channel != null) {
      channel.shutdown();
    }
  }

  /** How many peer channels are open; for tests and `info`. */
  public int openChannels() {
    synchronized (channels) {
      return channels.size();
    }
  }

  @Override
  public void close() {
    closed = true;
    List<ManagedChannel> open;
    synchronized (channels) {
      open = new ArrayList<>(channels.values());
      channels.clear();
    }
    open.forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : open) {
      try {
        if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        channel.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts a call on the peer's channel and decodes its answer once the answer's responder is
   * decoded and, over TLS, found to be the node the peer's certificate names; a failure to even
   * start the call fails the future.
   */
  private <R, T> CompletableFuture<T> call(String address,
      BiConsumer<KademliaGrpc.KademliaStub, StreamObserver<R>> invoke,
      Function<R, ResponseHeader> header, BiFunction<Contact, R, T> decode) {
    CompletableFuture<T> result = new CompletableFuture<>();
    try {
      if (closed) {
        throw new IllegalStateException("transport is closed");
      }
      ManagedChannel channel = channel(address);
      AnsweringCertificate certificate = new AnsweringCertificate();
      StreamObserver<R> observer = observer(result, response -> {
        Contact responder = responder(header.apply(response));
        certificate.check(responder.id());
        return decode.apply(responder, response);
      });
      // Not in the context of the inbound call that may have caused this one (a check of its
      // sender, a hand-off to a newcomer): its end would cancel this call.
      Context.current().fork().run(() -> invoke.accept(KademliaGrpc.newStub(channel)
          .withInterceptors(certificate, interceptor)
          .withDeadlineAfter(rpcTimeout.toNanos(), TimeUnit.NANOSECONDS), observer));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  /** The channel to {@code address}, opened if need be; the least recently used beyond the bound closes. */
  private ManagedChannel channel(String address) {
    ManagedChannel channel;
    ManagedChannel evicted = null;
    synchronized (channels) {
      channel = channels.get(address);
      if (channel == null) {
        channel = channelFactory.apply(address);
        channels.put(address, channel);
        if (channels.size() > maxChannels) {
          Iterator<ManagedChannel> eldest = channels.values().iterator();
          evicted = eldest.next();
          eldest.remove();
        }
      }
    }
    if (evicted != null) evicted.shutdown();
    return channel;
  }

  private static Contact responder(ResponseHeader header) {
    if (!header.hasResponder()) {
      throw new WireFormatException("response header has no responder");
    }
    return ProtoCodec.decode(header.getResponder(), "header.responder");
  }

  /** A node now answering at a contact's address under another ID is not that contact. */
  private static void checkResponder(Contact expected, Contact actual) {
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
    if (isOversizedAnswer(status)) return t;
    return switch (status.getCode()) {
      case RESOURCE_EXHAUSTED, INVALID_ARGUMENT -> StatusMapper.toDhtException(status, "peer refused: ");
      default -> t;
    };
  }

  /**
   * Whether this node's own channel refused the peer's answer for its size (grpc-java's deframer
   * says so in these words). That is the peer's failure, like any answer that breaks the rules,
   * not a refusal by a live peer: else a peer that always answers too much would never be counted
   * as failing and would keep its place in the table.
   */
  private static boolean isOversizedAnswer(Status status) {
    String description = status.getDescription();
    return status.getCode() == Status.Code.RESOURCE_EXHAUSTED && description != null
        && description.startsWith(OVERSIZED_MESSAGE);
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
