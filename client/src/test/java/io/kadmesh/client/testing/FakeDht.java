package io.kadmesh.client.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.AnnounceRequest;
import io.kadmesh.proto.v1.AnnounceResponse;
import io.kadmesh.proto.v1.BucketInfo;
import io.kadmesh.proto.v1.DeleteRequest;
import io.kadmesh.proto.v1.DeleteResponse;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.GetContentRequest;
import io.kadmesh.proto.v1.GetContentResponse;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
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
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.proto.v1.Version;
import io.kadmesh.proto.v1.WithdrawRequest;
import io.kadmesh.proto.v1.WithdrawResponse;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Dht service that keeps values in maps, with knobs for failures, silence, replica counts and
 * forged answers. Like a node, it verifies signed records and content hashes before it keeps them
 * and refuses a signed write whose seq is not above the one it holds.
 */
public final class FakeDht extends DhtGrpc.DhtImplBase {

  /** The fixed clock of the fake: every expiry is this plus the TTL. */
  public static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  /** The writer ID the fake stamps on every version: 32 bytes of 0xab. */
  public static final ByteString WRITER = writer();

  /** The TTL the fake applies when a put has none. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /**
   * A node that fills in every field of its description: ID 32 bytes of 0x0f, two buckets, 42
   * records in 1234 bytes of RocksDB in /var/lib/kadmesh, started 1h 2m 3s before {@link #NOW}. The
   * fake answers GetNodeInfo with the empty message unless {@link #nodeInfo} says otherwise.
   */
  public static final GetNodeInfoResponse NODE_INFO =
      GetNodeInfoResponse.newBuilder()
          .setNodeId(ByteString.copyFrom(HexFormat.of().parseHex("0f".repeat(32))))
          .setNetwork("kadmesh")
          .setPeerAddress("0.0.0.0:7701")
          .setApiAddress("127.0.0.1:7700")
          .setAdvertiseAddress("10.0.0.5:7701")
          .setK(20)
          .setAlpha(3)
          .setContacts(5)
          .setLiveContacts(4)
          .setWriteQuorum(2)
          .addBuckets(BucketInfo.newBuilder().setIndex(254).setContacts(3))
          .addBuckets(BucketInfo.newBuilder().setIndex(255).setContacts(2).setReplacements(1))
          .setRecords(42)
          .setStoredBytes(1234)
          .setMaxRecords(1_000_000)
          .setMaxStoredBytes(1L << 30)
          .setStorage("rocksdb")
          .setDataDir("/var/lib/kadmesh")
          .setStartedAt(
              Timestamp.newBuilder().setSeconds(NOW.minus(Duration.ofSeconds(3723)).getEpochSecond()))
          .build();

  /** The trailer that gives the seq a failed compare-and-swap found, as the node sends it. */
  public static final Metadata.Key<String> FOUND_SEQ =
      Metadata.Key.of("kadmesh-found-seq", Metadata.ASCII_STRING_MARSHALLER);

  private final Map<String, GetResponse> values = new ConcurrentHashMap<>();
  private final Map<ByteString, SignedRecord> signed = new ConcurrentHashMap<>();
  private final Map<ByteString, GetContentResponse> content = new ConcurrentHashMap<>();
  private final Map<String, List<Endpoint>> endpoints = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong(1_000);
  private volatile int replicas = 3;
  private volatile Status failure;
  private volatile boolean silent;
  private volatile PutRequest lastPut;
  private volatile GetRequest lastGet;
  private volatile PutSignedRequest lastPutSigned;
  private volatile PutContentRequest lastPutContent;
  private volatile AnnounceRequest lastAnnounce;
  private final Map<String, AnnounceRequest> announced = new ConcurrentHashMap<>();
  private volatile GetSignedResponse forgedSigned;
  private volatile GetContentResponse forgedContent;
  private volatile GetNodeInfoResponse nodeInfo = GetNodeInfoResponse.getDefaultInstance();
  private volatile java.util.List<io.kadmesh.proto.v1.WatchEvent> watchEvents = java.util.List.of();
  private volatile io.kadmesh.proto.v1.WatchRequest lastWatch;

  /** Every call from now on fails with this status. */
  public void failWith(Status status) {
    this.failure = status;
  }

  /** Watch streams send these events, then end (a real node's stream runs until cancelled). */
  public void watchEvents(java.util.List<io.kadmesh.proto.v1.WatchEvent> events) {
    this.watchEvents = java.util.List.copyOf(events);
  }

  public io.kadmesh.proto.v1.WatchRequest lastWatch() {
    return lastWatch;
  }

  @Override
  public void watch(io.kadmesh.proto.v1.WatchRequest request,
      StreamObserver<io.kadmesh.proto.v1.WatchEvent> responses) {
    lastWatch = request;
    if (refused(responses)) {
      return;
    }
    watchEvents.forEach(responses::onNext);
    responses.onCompleted();
  }

  /** Calls from now on never get an answer, so the caller's deadline passes. */
  public void goSilent() {
    this.silent = true;
  }

  public void replicas(int replicas) {
    this.replicas = replicas;
  }

  public void nodeInfo(GetNodeInfoResponse info) {
    this.nodeInfo = info;
  }

  public PutRequest lastPut() {
    return lastPut;
  }

  public GetRequest lastGet() {
    return lastGet;
  }

  public PutSignedRequest lastPutSigned() {
    return lastPutSigned;
  }

  public PutContentRequest lastPutContent() {
    return lastPutContent;
  }

  public AnnounceRequest lastAnnounce() {
    return lastAnnounce;
  }

  /** The endpoints announced and not withdrawn, keyed "SERVICE ENDPOINT". */
  public Map<String, AnnounceRequest> announced() {
    return Map.copyOf(announced);
  }

  /** GetSigned answers this from now on, whatever it holds: a node that lies. */
  public void answerGetSigned(GetSignedResponse forged) {
    this.forgedSigned = forged;
  }

  /** GetContent answers this from now on, whatever it holds: a node that lies. */
  public void answerGetContent(GetContentResponse forged) {
    this.forgedContent = forged;
  }

  /** Holds a signed record as if a PutSigned had stored it, unchecked: a forged record, say. */
  public void holdSigned(SignedRecord record) {
    signed.put(signedKey(record.getPublicKey(), record.getName()), record);
  }

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> responses) {
    if (refused(responses)) {
      return;
    }
    lastPut = request;
    Version version = nextVersion();
    Timestamp expiresAt = expiresAt(request.hasTtl(), request.getTtl());
    values.put(
        request.getKey(),
        GetResponse.newBuilder()
            .setFound(true)
            .setValue(request.getValue())
            .setVersion(version)
            .setExpiresAt(expiresAt)
            .build());
    responses.onNext(
        PutResponse.newBuilder()
            .setReplicas(replicas)
            .setVersion(version)
            .setExpiresAt(expiresAt)
            .build());
    responses.onCompleted();
  }

  @Override
  public void get(GetRequest request, StreamObserver<GetResponse> responses) {
    if (refused(responses)) {
      return;
    }
    lastGet = request;
    responses.onNext(values.getOrDefault(request.getKey(), GetResponse.getDefaultInstance()));
    responses.onCompleted();
  }

  @Override
  public void delete(DeleteRequest request, StreamObserver<DeleteResponse> responses) {
    if (refused(responses)) {
      return;
    }
    values.remove(request.getKey());
    responses.onNext(
        DeleteResponse.newBuilder().setReplicas(replicas).setVersion(nextVersion()).build());
    responses.onCompleted();
  }

  @Override
  public void putSigned(PutSignedRequest request, StreamObserver<PutSignedResponse> responses) {
    if (refused(responses)) {
      return;
    }
    lastPutSigned = request;
    SignedRecord record = request.getRecord();
    SignedPayload payload = new SignedPayload(record.getName(), record.getSeq(),
        record.getValue().toByteArray(), record.getExpiresAt().getSeconds(), record.getTombstone());
    if (!payload.verify(record.getPublicKey().toByteArray(), record.getSignature().toByteArray())) {
      responses.onError(Status.INVALID_ARGUMENT.withDescription("signature does not verify")
          .asRuntimeException());
      return;
    }
    ByteString key = signedKey(record.getPublicKey(), record.getName());
    SignedRecord held = signed.get(key);
    long heldSeq = held == null ? 0 : held.getSeq();
    if (request.hasExpectedSeq() && request.getExpectedSeq() != heldSeq) {
      Metadata trailers = new Metadata();
      trailers.put(FOUND_SEQ, Long.toString(heldSeq));
      responses.onError(Status.FAILED_PRECONDITION
          .withDescription("expected seq " + request.getExpectedSeq() + ", found seq " + heldSeq)
          .asRuntimeException(trailers));
      return;
    }
    if (heldSeq >= record.getSeq()) {
      responses.onError(Status.ABORTED
          .withDescription("replicas hold seq " + heldSeq + ", not below " + record.getSeq())
          .asRuntimeException());
      return;
    }
    signed.put(key, record);
    responses.onNext(PutSignedResponse.newBuilder().setReplicas(replicas).setKey(key).build());
    responses.onCompleted();
  }

  @Override
  public void getSigned(GetSignedRequest request, StreamObserver<GetSignedResponse> responses) {
    if (refused(responses)) {
      return;
    }
    GetSignedResponse answer = forgedSigned;
    if (answer == null) {
      SignedRecord record = signed.get(signedKey(request.getPublicKey(), request.getName()));
      answer = record == null
          ? GetSignedResponse.getDefaultInstance()
          : GetSignedResponse.newBuilder().setFound(!record.getTombstone()).setRecord(record).build();
    }
    responses.onNext(answer);
    responses.onCompleted();
  }

  @Override
  public void putContent(PutContentRequest request, StreamObserver<PutContentResponse> responses) {
    if (refused(responses)) {
      return;
    }
    lastPutContent = request;
    ByteString key = ByteString.copyFrom(RecordKeys.contentKey(request.getValue().toByteArray()));
    Timestamp expiresAt = expiresAt(request.hasTtl(), request.getTtl());
    content.put(key, GetContentResponse.newBuilder()
        .setFound(true).setValue(request.getValue()).setExpiresAt(expiresAt).build());
    responses.onNext(PutContentResponse.newBuilder()
        .setKey(key).setReplicas(replicas).setExpiresAt(expiresAt).build());
    responses.onCompleted();
  }

  @Override
  public void getContent(GetContentRequest request, StreamObserver<GetContentResponse> responses) {
    if (refused(responses)) {
      return;
    }
    GetContentResponse answer = forgedContent;
    responses.onNext(answer != null
        ? answer
        : content.getOrDefault(request.getKey(), GetContentResponse.getDefaultInstance()));
    responses.onCompleted();
  }

  /**
   * Keeps the announcement; answers the replica count and an expiry of {@link #NOW} plus its TTL
   * (30 s when unset), or 0 and no expiry for a health-checked one, as a node whose check has not
   * passed yet does.
   */
  @Override
  public void announce(AnnounceRequest request, StreamObserver<AnnounceResponse> responses) {
    if (refused(responses)) {
      return;
    }
    lastAnnounce = request;
    announced.put(request.getService() + " " + request.getEndpoint(), request);
    AnnounceResponse.Builder answer = AnnounceResponse.newBuilder();
    if (!request.hasHealthCheck()) {
      answer.setReplicas(replicas).setExpiresAt(timestamp(NOW.plus(request.hasTtl()
          ? Duration.ofSeconds(request.getTtl().getSeconds(), request.getTtl().getNanos())
          : Duration.ofSeconds(30))));
    }
    responses.onNext(answer.build());
    responses.onCompleted();
  }

  /** Forgets an announced endpoint; NOT_FOUND, as a node says, for one it does not hold. */
  @Override
  public void withdraw(WithdrawRequest request, StreamObserver<WithdrawResponse> responses) {
    if (refused(responses)) {
      return;
    }
    if (announced.remove(request.getService() + " " + request.getEndpoint()) == null) {
      responses.onError(Status.NOT_FOUND.withDescription("this node announces no endpoint '"
          + request.getEndpoint() + "' of service '" + request.getService() + "'").asRuntimeException());
      return;
    }
    responses.onNext(WithdrawResponse.newBuilder().setReplicas(replicas).build());
    responses.onCompleted();
  }

  /** Makes Resolve of {@code service} answer these endpoints, as given. */
  public void holdEndpoints(String service, List<Endpoint> answer) {
    endpoints.put(service, List.copyOf(answer));
  }

  @Override
  public void resolve(ResolveRequest request, StreamObserver<ResolveResponse> responses) {
    if (refused(responses)) {
      return;
    }
    responses.onNext(ResolveResponse.newBuilder()
        .addAllEndpoints(endpoints.getOrDefault(request.getService(), List.of()))
        .build());
    responses.onCompleted();
  }

  @Override
  public void getNodeInfo(
      GetNodeInfoRequest request, StreamObserver<GetNodeInfoResponse> responses) {
    if (refused(responses)) {
      return;
    }
    responses.onNext(nodeInfo);
    responses.onCompleted();
  }

  private boolean refused(StreamObserver<?> responses) {
    if (silent) {
      return true;
    }
    Status status = failure;
    if (status != null) {
      responses.onError(status.asRuntimeException());
      return true;
    }
    return false;
  }

  private static ByteString signedKey(ByteString publicKey, String name) {
    return ByteString.copyFrom(RecordKeys.signedKey(publicKey.toByteArray(), name));
  }

  private Version nextVersion() {
    return Version.newBuilder().setSequence(sequence.incrementAndGet()).setWriterId(WRITER).build();
  }

  private static Timestamp expiresAt(boolean hasTtl, com.google.protobuf.Duration ttl) {
    return timestamp(NOW.plus(
        hasTtl ? Duration.ofSeconds(ttl.getSeconds(), ttl.getNanos()) : DEFAULT_TTL));
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static ByteString writer() {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) 0xab);
    return ByteString.copyFrom(id);
  }
}
