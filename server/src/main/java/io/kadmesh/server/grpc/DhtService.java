package io.kadmesh.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.mesh.Announcement;
import io.kadmesh.core.mesh.AnnouncementRules;
import io.kadmesh.core.mesh.Announcer;
import io.kadmesh.core.mesh.HealthCheck;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.node.BucketStats;
import io.kadmesh.proto.v1.AnnounceRequest;
import io.kadmesh.proto.v1.AnnounceResponse;
import io.kadmesh.proto.v1.BucketInfo;
import io.kadmesh.proto.v1.DeleteRequest;
import io.kadmesh.proto.v1.DeleteResponse;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.proto.v1.GetContentRequest;
import io.kadmesh.proto.v1.GetContentResponse;
import io.kadmesh.proto.v1.GetNodeInfoResponse;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.GetResponse;
import io.kadmesh.proto.v1.GetSignedRequest;
import io.kadmesh.proto.v1.GetSignedResponse;
import io.kadmesh.proto.v1.PutContentRequest;
import io.kadmesh.proto.v1.PutContentResponse;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.PutResponse;
import io.kadmesh.proto.v1.PutSignedRequest;
import io.kadmesh.proto.v1.PutSignedResponse;
import io.kadmesh.proto.v1.ResolveRequest;
import io.kadmesh.proto.v1.ResolveResponse;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchRequest;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.server.metrics.NodeStatus;
import java.nio.charset.StandardCharsets;
import io.kadmesh.proto.v1.WithdrawRequest;
import io.kadmesh.proto.v1.WithdrawResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the application API: decodes the request (the core checks keys, values and TTLs against
 * its limits), turns the caller's deadline into the operation's timeout, and runs the operation
 * on the node.
 */
final class DhtService extends DhtGrpc.DhtImplBase {
  /** The largest seconds of a well-formed google.protobuf.Duration (about 10,000 years). */
  private static final long MAX_DURATION_SECONDS = 315_576_000_000L;

  private final KademliaNode node;
  private final NodeAddresses addresses;
  private final Instant startedAt;
  private final Path dataDirectory;
  private final AtomicInteger watchStreams = new AtomicInteger();
  private final Announcer announcer;
  private final ByteString publicKey;
  private final java.util.Set<WatchStream> openWatches = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * {@code dataDirectory} is null for a node that keeps nothing on disk; {@code publicKey} is the
   * node's raw Ed25519 public key, which signs what {@code announcer} publishes.
   */
  DhtService(KademliaNode node, NodeAddresses addresses, Instant startedAt, Path dataDirectory,
      Announcer announcer, byte[] publicKey) {
    this.node = node;
    this.addresses = addresses;
    this.startedAt = startedAt;
    this.dataDirectory = dataDirectory;
    this.announcer = announcer;
    this.publicKey = ByteString.copyFrom(publicKey);
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> observer) {
    Responder.answerAsync(observer, () -> {
      NodeId key = node.keyOf(request.getKey());
      // The limits on value size and TTL are the core's to check, for every caller alike.
      Duration ttl = request.hasTtl() ? ttl(request.getTtl()) : null;
      return node.put(key, request.getValue().toByteArray(), ttl, timeout())
          .thenApply(r -> PutResponse.newBuilder()
              .setReplicas(r.replicas())
              .setVersion(ProtoCodec.encode(r.version()))
              .setExpiresAt(ProtoCodec.encode(r.expiresAt()))
              .build());
    });
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> observer) {
    Responder.answerAsync(observer, () -> node.get(node.keyOf(request.getKey()),
            RecordKind.PLAIN, request.getQuorum(), timeout())
        .thenApply(found -> found.filter(r -> !r.isTombstone())
            .map(r -> GetResponse.newBuilder()
                .setFound(true)
                .setValue(ByteString.copyFrom(r.valueUnsafe()))
                .setVersion(ProtoCodec.encode(r.version()))
                .setExpiresAt(ProtoCodec.encode(r.expiresAt()))
                .build())
            .orElse(GetResponse.getDefaultInstance())));
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> observer) {
    Responder.answerAsync(observer, () -> node.delete(node.keyOf(request.getKey()), timeout())
        .thenApply(r -> DeleteResponse.newBuilder()
            .setReplicas(r.replicas())
            .setVersion(ProtoCodec.encode(r.version()))
            .build()));
  }

  @Override
  public void putSigned(PutSignedRequest request, StreamObserver<PutSignedResponse> observer) {
    Responder.answerAsync(observer, () -> {
      if (!request.hasRecord()) {
        throw new WireFormatException("record is required");
      }
      // The node checks the record as every replica will (expiry, public key, name, seq, signature).
      ValueRecord record = ProtoCodec.decode(request.getRecord(), "record");
      if (request.hasExpectedSeq() && request.getExpectedSeq() < 0) {
        // uint64 on the wire: 2^63 and above read as negative longs, and no record has such a seq.
        throw new WireFormatException("expected_seq must be 0 to 2^63-1, got "
            + Long.toUnsignedString(request.getExpectedSeq()));
      }
      Long expectedSeq = request.hasExpectedSeq() ? request.getExpectedSeq() : null;
      return node.putSigned(record, expectedSeq, timeout())
          .thenApply(r -> PutSignedResponse.newBuilder()
              .setReplicas(r.replicas())
              .setKey(ProtoCodec.encode(record.key()))
              .build());
    });
  }

  @Override
  public void getSigned(GetSignedRequest request, StreamObserver<GetSignedResponse> observer) {
    Responder.answerAsync(observer, () -> {
      NodeId key = node.signedKeyOf(request.getPublicKey().toByteArray(), request.getName());
      return node.get(key, RecordKind.SIGNED, timeout())
          .thenApply(found -> found
              .map(r -> GetSignedResponse.newBuilder()
                  .setFound(!r.isTombstone())
                  .setRecord(ProtoCodec.encodeSigned(r))
                  .build())
              .orElse(GetSignedResponse.getDefaultInstance()));
    });
  }

  @Override
  public void putContent(PutContentRequest request, StreamObserver<PutContentResponse> observer) {
    Responder.answerAsync(observer, () -> {
      Duration ttl = request.hasTtl() ? ttl(request.getTtl()) : null;
      byte[] value = request.getValue().toByteArray();
      return node.putContent(value, ttl, timeout())
          .thenApply(r -> PutContentResponse.newBuilder()
              .setKey(ProtoCodec.encode(node.contentKeyOf(value)))
              .setReplicas(r.replicas())
              .setExpiresAt(ProtoCodec.encode(r.expiresAt()))
              .build());
    });
  }

  @Override
  public void getContent(GetContentRequest request, StreamObserver<GetContentResponse> observer) {
    Responder.answerAsync(observer, () -> {
      NodeId key = ProtoCodec.decodeId(request.getKey(), "key");
      return node.get(key, RecordKind.CONTENT, timeout())
          .thenApply(found -> found
              .map(r -> GetContentResponse.newBuilder()
                  .setFound(true)
                  .setValue(ByteString.copyFrom(r.valueUnsafe()))
                  .setExpiresAt(ProtoCodec.encode(r.expiresAt()))
                  .build())
              .orElse(GetContentResponse.getDefaultInstance()));
    });
  }

  /**
   * Streams the state of a key (or a service's endpoints), SYNCED, then every change, until the
   * client cancels. Delivery: per key and per endpoint, versions only grow; changes close together
   * may coalesce into the newest; whenever the node may have missed changes (a lapsed or late
   * renewal of its subscriptions, a changed replica set, a client too slow to keep up with its
   * queue) the stream says RESYNC, then sends the whole state and SYNCED. INVALID_ARGUMENT for a
   * missing target or a bad key or service name; RESOURCE_EXHAUSTED beyond the node's concurrent
   * watches (maxWatchStreams).
   */
  @Override
  public void watch(WatchRequest request, StreamObserver<WatchEvent> observer) {
    ServerCallStreamObserver<WatchEvent> call = (ServerCallStreamObserver<WatchEvent>) observer;
    int limit = node.config().watch().maxWatchStreams();
    try {
      NodeId key;
      RecordKind kind;
      switch (request.getTargetCase()) {
        case KEY -> {
          key = node.keyOf(request.getKey());
          kind = RecordKind.PLAIN;
        }
        case SERVICE -> {
          key = serviceKey(request.getService());
          kind = RecordKind.ENDPOINT;
        }
        default -> throw DhtException.invalid("key or service is required");
      }
      if (watchStreams.incrementAndGet() > limit) {
        watchStreams.decrementAndGet();
        throw DhtException.exhausted("this node serves " + limit + " watches at once already, its "
            + "limit (maxWatchStreams)");
      }
      WatchStream[] stream = new WatchStream[1];
      stream[0] = new WatchStream(node, key, kind, call, node.config().watch().maxQueuedEvents(),
          () -> {
            openWatches.remove(stream[0]);
            watchStreams.decrementAndGet();
          });
      openWatches.add(stream[0]);
      try {
        stream[0].start();
      } catch (RuntimeException e) {
        openWatches.remove(stream[0]);
        watchStreams.decrementAndGet();
        throw e;
      }
    } catch (RuntimeException e) {
      observer.onError(StatusMapper.toStatusException(e));
    }
  }

  /** Watch streams open now. */
  int openWatchStreams() {
    return openWatches.size();
  }

  /**
   * Ends every Watch stream with UNAVAILABLE: the node is stopping, and a stream that never ends
   * by itself would hold a graceful shutdown for its whole grace period. Clients watch again
   * through another node, and get the whole state there.
   */
  void endWatches() {
    for (WatchStream stream : List.copyOf(openWatches)) {
      stream.finish(io.grpc.Status.UNAVAILABLE.withDescription("the node is shutting down"));
    }
  }

  /** A service's DHT key, once its name is 1 to 256 bytes of UTF-8. */
  private static NodeId serviceKey(String service) {
    int bytes = service.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > EndpointEntry.MAX_SERVICE_BYTES) {
      throw DhtException.invalid("service must be 1 to " + EndpointEntry.MAX_SERVICE_BYTES
          + " bytes of UTF-8, got " + bytes);
    }
    return NodeId.fromBytes(RecordKeys.serviceKey(service));
  }

  @Override
  public void resolve(ResolveRequest request, StreamObserver<ResolveResponse> observer) {
    Responder.answerAsync(observer, () -> {
      NodeId key = node.serviceKeyOf(request.getService());
      return node.resolve(key, timeout())
          .thenApply(records -> ResolveResponse.newBuilder()
              .addAllEndpoints(EndpointMessages.live(records))
              .build());
    });
  }

  @Override
  public void announce(AnnounceRequest request, StreamObserver<AnnounceResponse> observer) {
    Responder.answerAsync(observer, () -> {
      // The announcer checks every field against its limits; here only what the wire can carry.
      AnnouncementRules rules = announcer.rules();
      Duration ttl = rules.ttl(request.hasTtl() ? duration(request.getTtl(), "ttl") : null);
      HealthCheck check = null;
      if (request.hasHealthCheck()) {
        io.kadmesh.proto.v1.HealthCheck asked = request.getHealthCheck();
        check = rules.healthCheck(asked.getService(), asked.hasInterval()
            ? duration(asked.getInterval(), "health_check.interval") : null);
      }
      Announcement announcement = Announcement.of(request.getService(), request.getEndpoint(),
          request.getMetadataMap(), ttl, check);
      return announcer.announce(announcement).thenApply(published -> {
        AnnounceResponse.Builder response = AnnounceResponse.newBuilder()
            .setReplicas(published.replicas());
        published.expiry().ifPresent(t -> response.setExpiresAt(ProtoCodec.encode(t)));
        return response.build();
      });
    });
  }

  @Override
  public void withdraw(WithdrawRequest request, StreamObserver<WithdrawResponse> observer) {
    Responder.answerAsync(observer, () -> announcer.withdraw(request.getService(),
            request.getEndpoint())
        .thenApply(replicas -> WithdrawResponse.newBuilder().setReplicas(replicas).build()));
  }

  @Override
  public void getNodeInfo(GetNodeInfoRequest request, StreamObserver<GetNodeInfoResponse> observer) {
    Responder.answer(observer, () -> {
      NodeStatus status = NodeStatus.read(node, addresses.peer(), addresses.api(),
          addresses.advertised(), startedAt, dataDirectory);
      GetNodeInfoResponse.Builder info = GetNodeInfoResponse.newBuilder()
          .setNodeId(ProtoCodec.encode(status.nodeId()))
          .setNetwork(status.network())
          .setPeerAddress(status.peerAddress())
          .setApiAddress(status.apiAddress())
          .setAdvertiseAddress(status.advertiseAddress())
          .setK(status.k())
          .setAlpha(status.alpha())
          .setRecords(status.records())
          .setStoredBytes(status.storedBytes())
          .setMaxRecords(status.maxRecords())
          .setMaxStoredBytes(status.maxStoredBytes())
          .setStorage(status.storage())
          .setDataDir(status.dataDirectory().map(Path::toString).orElse(""))
          .setStartedAt(ProtoCodec.encode(status.startedAt()))
          .setLiveContacts(status.liveContacts())
          .setCutOff(status.cutOff())
          .setWriteQuorum(status.writeQuorum())
          .setPublicKey(publicKey)
          .setContacts(status.contacts());
      for (BucketStats bucket : status.buckets()) {
        info.addBuckets(BucketInfo.newBuilder()
            .setIndex(bucket.index())
            .setContacts(bucket.contacts())
            .setReplacements(bucket.replacements()));
      }
      return info.build();
    });
  }

  /** The wire Duration as java.time, refused only when it is not a valid protobuf Duration. */
  private Duration ttl(com.google.protobuf.Duration ttl) {
    return duration(ttl, "ttl");
  }

  /** {@link #ttl} for a duration the request calls {@code field}. */
  private static Duration duration(com.google.protobuf.Duration ttl, String field) {
    long seconds = ttl.getSeconds();
    int nanos = ttl.getNanos();
    // The range google.protobuf.Duration defines; beyond it java.time.Duration may overflow.
    if (seconds < -MAX_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS
        || nanos < -999_999_999 || nanos > 999_999_999
        || (seconds > 0 && nanos < 0) || (seconds < 0 && nanos > 0)) {
      throw DhtException.invalid(field + " is not a valid duration: seconds must be within +-"
          + MAX_DURATION_SECONDS + " and nanos within +-999999999, with the same sign");
    }
    return Duration.ofSeconds(seconds, nanos);
  }

  /** The caller's deadline, when it set one shorter than the node's own operation timeout. */
  private Duration timeout() {
    Duration own = node.config().operationTimeout();
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return own;
    }
    long remainingNanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
    if (remainingNanos <= 0) {
      throw DhtException.deadlineExceeded("the caller's deadline passed before the work started");
    }
    Duration remaining = Duration.ofNanos(remainingNanos);
    return remaining.compareTo(own) < 0 ? remaining : own;
  }
}
