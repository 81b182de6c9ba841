package io.kadmesh.client.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.BucketInfo;
import io.kadmesh.proto.v1.DeleteRequest;
import io.kadmesh.proto.v1.DeleteResponse;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.proto.v1.GetNodeInfoResponse;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.GetResponse;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.PutResponse;
import io.kadmesh.proto.v1.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** A Dht service that keeps values in a map, with knobs for failures, silence and replica counts. */
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

  private final Map<String, GetResponse> values = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong(1_000);
  private volatile int replicas = 3;
  private volatile Status failure;
  private volatile boolean silent;
  private volatile PutRequest lastPut;
  private volatile GetNodeInfoResponse nodeInfo = GetNodeInfoResponse.getDefaultInstance();

  /** Every call from now on fails with this status. */
  public void failWith(Status status) {
    this.failure = status;
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

  @Override
  public void put(PutRequest request, StreamObserver<PutResponse> responses) {
    if (refused(responses)) {
      return;
    }
    lastPut = request;
    Duration ttl =
        request.hasTtl()
            ? Duration.ofSeconds(request.getTtl().getSeconds(), request.getTtl().getNanos())
            : DEFAULT_TTL;
    Version version = nextVersion();
    Timestamp expiresAt = timestamp(NOW.plus(ttl));
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

  private Version nextVersion() {
    return Version.newBuilder().setSequence(sequence.incrementAndGet()).setWriterId(WRITER).build();
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
