package io.kadmesh.client;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.kadmesh.proto.v1.AnnounceRequest;
import io.kadmesh.proto.v1.DeleteRequest;
import io.kadmesh.proto.v1.DeleteResponse;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.DrainRequest;
import io.kadmesh.proto.v1.ListContactsRequest;
import io.kadmesh.proto.v1.ListRecordsRequest;
import io.kadmesh.proto.v1.GetContentRequest;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.GetResponse;
import io.kadmesh.proto.v1.GetSignedRequest;
import io.kadmesh.proto.v1.PutContentRequest;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.PutResponse;
import io.kadmesh.proto.v1.PutSignedRequest;
import io.kadmesh.proto.v1.ResolveRequest;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.proto.v1.WatchRequest;
import io.kadmesh.proto.v1.WithdrawRequest;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.tls.TlsCredentials;
import io.kadmesh.tls.TlsFiles;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of a kadmesh node's application API ({@code kadmesh.v1.Dht}).
 *
 * <p>Every call carries a deadline ({@link #DEFAULT_TIMEOUT} unless {@link #withTimeout} says
 * otherwise) and fails with {@link KadmeshException}. Argument checks are limited to what Java
 * itself demands (no nulls); the node enforces its own limits and says so in the exception.
 *
 * <p>Signed records are written through {@link #signedBy}, which signs with the owner's key pair,
 * and read by anyone with {@link #getSigned}; content-addressed records with {@link #putContent}
 * and {@link #getContent}. The client checks every such record it reads itself (signature, key,
 * content hash), whatever the node says.
 */
public final class KadmeshClient implements AutoCloseable {

  /** The deadline each call gets unless {@link #withTimeout} changes it. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Channel channel;
  /** The channel {@link #connect} opened, shared with the views; null over a caller's channel. */
  private final SharedChannel shared;
  /** Whether this is the client {@link #connect} returned, whose close closes the channel. */
  private final boolean connected;
  /** This client's hold on {@link #shared}: let go by {@link #close} or when it is collected. */
  private final Cleaner.Cleanable hold;
  private final Duration timeout;

  private KadmeshClient(Channel channel, SharedChannel shared, boolean connected,
      Duration timeout) {
    // Calls go through a channel that refers to this client, so that the client stays reachable
    // (its hold kept) while a stub made of it is in use, even when the caller dropped it.
    this.channel = shared == null ? channel : new Pinned(channel, this);
    this.shared = shared;
    this.connected = connected;
    this.timeout = timeout;
    this.hold = shared == null ? null : shared.hold(this);
  }

  /** A channel that calls through another and keeps its owner reachable while it is. */
  private static final class Pinned extends Channel {
    private final Channel delegate;
    @SuppressWarnings("unused") // held for its reachability alone
    private final Object owner;

    Pinned(Channel delegate, Object owner) {
      this.delegate = delegate;
      this.owner = owner;
    }

    @Override
    public <ReqT, RespT> ClientCall<ReqT, RespT> newCall(
        MethodDescriptor<ReqT, RespT> method, CallOptions options) {
      return delegate.newCall(method, options);
    }

    @Override
    public String authority() {
      return delegate.authority();
    }
  }

  /** Connects in plaintext to a node's API address, HOST:PORT; {@link #close} closes the channel. */
  public static KadmeshClient connect(String target) {
    return connect(target, DEFAULT_TIMEOUT);
  }

  /**
   * Connects in plaintext to a node's API address, HOST:PORT, with this deadline on every call;
   * {@link #close} closes the channel. What {@code connect(target).withTimeout(timeout)} means,
   * without a second client to close.
   */
  public static KadmeshClient connect(String target, Duration timeout) {
    checkTimeout(timeout);
    return owning(KadmeshChannels.plaintext(target), timeout);
  }

  /**
   * Connects over TLS to a node's API address, HOST:PORT, whose certificate must name that host:
   * trusting {@code tls}'s CA and presenting its certificate, if it has one (an API port with
   * {@code --api-tls-ca} requires one). Fails with {@link io.kadmesh.tls.TlsFileException} naming a
   * file that is missing or wrong.
   */
  public static KadmeshClient connect(String target, TlsFiles tls) {
    return connect(target, tls, DEFAULT_TIMEOUT);
  }

  /** {@link #connect(String, TlsFiles)} with this deadline on every call. */
  public static KadmeshClient connect(String target, TlsFiles tls, Duration timeout) {
    checkTimeout(timeout);
    return owning(
        KadmeshChannels.tls(target, tls, TlsCredentials.HostCheck.HOST_NAME), timeout);
  }

  /** A client that owns {@code channel}, as {@link #connect} returns. */
  static KadmeshClient owning(ManagedChannel channel, Duration timeout) {
    return new KadmeshClient(channel, new SharedChannel(channel), true, timeout);
  }

  /** Uses a channel the caller owns: {@link #close} leaves it open. */
  public static KadmeshClient over(Channel channel) {
    return new KadmeshClient(Objects.requireNonNull(channel, "channel"), null, false,
        DEFAULT_TIMEOUT);
  }

  /**
   * A client on the same channel whose calls get this deadline. On a channel {@link #connect}
   * opened, it shares the channel: the channel stays open while any client sharing it is open and
   * closes when the last one is closed (or dropped and garbage collected), or at once when the
   * connected client is closed. So {@code connect(target).withTimeout(d)} used alone closes its
   * channel once the view is closed and the dropped connected client collected; {@link
   * #connect(String, Duration)} closes it at once.
   */
  public KadmeshClient withTimeout(Duration timeout) {
    checkTimeout(timeout);
    // The shared channel itself, not this client's pinned one: a view keeps only itself alive.
    return new KadmeshClient(shared == null ? channel : shared.channel(), shared, false, timeout);
  }

  private static void checkTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  /** The deadline each call of this client gets. */
  public Duration timeout() {
    return timeout;
  }

  /** Stores a value for the node's default TTL. */
  public PutResult put(String key, byte[] value) {
    return call(() -> blocking().put(putRequest(key, value, null)), KadmeshClient::putResult);
  }

  /** Stores a value that replicas keep for {@code ttl}. */
  public PutResult put(String key, byte[] value, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    return call(() -> blocking().put(putRequest(key, value, ttl)), KadmeshClient::putResult);
  }

  /** Stores a string, encoded as UTF-8, for the node's default TTL. */
  public PutResult put(String key, String value) {
    return put(key, Objects.requireNonNull(value, "value").getBytes(StandardCharsets.UTF_8));
  }

  /** The newest live value of a key, or empty when there is none (never written, deleted, expired). */
  public Optional<Entry> get(String key) {
    return call(() -> blocking().get(getRequest(key, 0)), KadmeshClient::entry);
  }

  /**
   * {@link #get(String)} waiting for {@code quorum} replicas' answers instead of the node's Get
   * quorum: 0 means the node's, 1 to the node's k that many. The node's own copy counts as one
   * when it is among the key's closest nodes, so 1 may answer without a peer call; a smaller
   * quorum reads faster and may miss a write fewer replicas kept so far. The node refuses a
   * quorum above its k ({@link KadmeshException}, INVALID_ARGUMENT).
   */
  public Optional<Entry> get(String key, int quorum) {
    GetRequest request = getRequest(key, requireQuorum(quorum));
    return call(() -> blocking().get(request), KadmeshClient::entry);
  }

  /** Writes a tombstone for a key, so that older versions read as not found. */
  public DeleteResult delete(String key) {
    DeleteRequest request =
        DeleteRequest.newBuilder().setKey(Objects.requireNonNull(key, "key")).build();
    return call(() -> blocking().delete(request), KadmeshClient::deleteResult);
  }

  /** Writes signed records as the owner of {@code keys} (Ed25519), expiries from the system clock. */
  public SignedRecords signedBy(KeyPair keys) {
    return signedBy(keys, InstantSource.system());
  }

  /** Writes signed records as the owner of {@code keys}, expiries counted from {@code clock}. */
  public SignedRecords signedBy(KeyPair keys, InstantSource clock) {
    return new SignedRecords(
        this, Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(clock, "clock"));
  }

  /**
   * The newest signed record of an owner's raw 32-byte public key and a name, after checking that
   * it is that owner's and that its signature verifies ({@link KadmeshException#isUnverifiedAnswer()}
   * otherwise). A tombstone is returned too, not found, with its seq.
   */
  public SignedEntry getSigned(byte[] publicKey, String name) {
    byte[] owner = Objects.requireNonNull(publicKey, "publicKey").clone();
    GetSignedRequest request = GetSignedRequest.newBuilder()
        .setPublicKey(ByteString.copyFrom(owner))
        .setName(Objects.requireNonNull(name, "name"))
        .build();
    return call(() -> blocking().getSigned(request),
        response -> VerifiedAnswers.signedEntry(owner, name, response));
  }

  /** Stores an immutable value under SHA-256 of its bytes, for the node's default TTL. */
  public ContentPutResult putContent(byte[] value) {
    return putContent(value, null);
  }

  /** Stores an immutable value under SHA-256 of its bytes, kept for {@code ttl}. */
  public ContentPutResult putContent(byte[] value, Duration ttl) {
    PutContentRequest.Builder request = PutContentRequest.newBuilder()
        .setValue(ByteString.copyFrom(Objects.requireNonNull(value, "value")));
    if (ttl != null) {
      request.setTtl(ProtoConversions.duration(ttl));
    }
    // The key is the client's own hash, not whatever the node answers.
    String key = HexFormat.of().formatHex(RecordKeys.contentKey(value));
    return call(() -> blocking().putContent(request.build()),
        response -> new ContentPutResult(key, response.getReplicas(),
            ProtoConversions.instantOrNull(response.hasExpiresAt(), response.getExpiresAt())));
  }

  /**
   * The value stored under a 32-byte content key, or empty when there is none; a value that does
   * not hash to the key fails with {@link KadmeshException#isUnverifiedAnswer()}.
   */
  public Optional<ContentEntry> getContent(byte[] key) {
    byte[] asked = Objects.requireNonNull(key, "key").clone();
    GetContentRequest request =
        GetContentRequest.newBuilder().setKey(ByteString.copyFrom(asked)).build();
    return call(() -> blocking().getContent(request),
        response -> VerifiedAnswers.contentEntry(asked, response));
  }

  /**
   * The live endpoints of {@code service} (1 to 256 bytes of UTF-8), ordered by address, then
   * announcer; empty when there are none. The node checked each entry's signature.
   */
  public List<ServiceEndpoint> resolve(String service) {
    ResolveRequest request = ResolveRequest.newBuilder()
        .setService(Objects.requireNonNull(service, "service"))
        .build();
    return call(() -> blocking().resolve(request), ProtoConversions::endpoints);
  }

  /**
   * Watches a key: {@code listener} hears its state (VALUE, or DELETED when it holds none), SYNCED,
   * then every change as the node learns it from the key's replicas, until the handle is closed.
   * The stream has no deadline; a refusal or a lost node ends it through {@link
   * WatchListener#onError}.
   */
  public WatchHandle watchKey(String key, WatchListener listener) {
    return watch(WatchRequest.newBuilder().setKey(Objects.requireNonNull(key, "key")).build(),
        listener);
  }

  /**
   * Watches a service: {@code listener} hears ENDPOINT_ADDED for each live endpoint, SYNCED, then
   * every endpoint added, updated or removed, until the handle is closed.
   */
  public WatchHandle watchService(String service, WatchListener listener) {
    return watch(WatchRequest.newBuilder()
        .setService(Objects.requireNonNull(service, "service")).build(), listener);
  }

  private WatchHandle watch(WatchRequest request, WatchListener listener) {
    WatchHandle handle = new WatchHandle(Objects.requireNonNull(listener, "listener"));
    DhtGrpc.newStub(channel).watch(request, handle.observer());
    return handle;
  }

  /**
   * Has the node publish {@code endpoint} (HOST:PORT) under {@code service} and keep it published,
   * with the node's default TTL, until {@link #withdraw} or the node's shutdown.
   */
  public AnnounceResult announce(String service, String endpoint) {
    return announce(service, endpoint, AnnounceOptions.DEFAULTS);
  }

  /**
   * Has the node publish {@code endpoint} (HOST:PORT) under {@code service} with {@code options},
   * and keep it published (only while its health check passes, if it has one) until {@link
   * #withdraw} or the node's shutdown. Announcing the same endpoint again replaces its options.
   */
  public AnnounceResult announce(String service, String endpoint, AnnounceOptions options) {
    Objects.requireNonNull(options, "options");
    AnnounceRequest.Builder request = AnnounceRequest.newBuilder()
        .setService(Objects.requireNonNull(service, "service"))
        .setEndpoint(Objects.requireNonNull(endpoint, "endpoint"))
        .putAllMetadata(options.metadata());
    if (options.ttl() != null) {
      request.setTtl(ProtoConversions.duration(options.ttl()));
    }
    options.healthCheck().ifPresent(name -> {
      io.kadmesh.proto.v1.HealthCheck.Builder check =
          io.kadmesh.proto.v1.HealthCheck.newBuilder().setService(name);
      if (options.healthCheckInterval() != null) {
        check.setInterval(ProtoConversions.duration(options.healthCheckInterval()));
      }
      request.setHealthCheck(check);
    });
    return call(() -> blocking().announce(request.build()),
        response -> new AnnounceResult(response.getReplicas(),
            ProtoConversions.instantOrNull(response.hasExpiresAt(), response.getExpiresAt())));
  }

  /**
   * Stops the node announcing {@code endpoint} under {@code service} and publishes its withdrawal;
   * answers how many nodes acknowledged it. NOT_FOUND when the node does not announce it.
   */
  public int withdraw(String service, String endpoint) {
    WithdrawRequest request = WithdrawRequest.newBuilder()
        .setService(Objects.requireNonNull(service, "service"))
        .setEndpoint(Objects.requireNonNull(endpoint, "endpoint"))
        .build();
    return call(() -> blocking().withdraw(request), response -> response.getReplicas());
  }

  /** The node's description: ID, addresses, routing table and storage summary. */
  public NodeInfo info() {
    return call(
        () -> blocking().getNodeInfo(GetNodeInfoRequest.getDefaultInstance()),
        ProtoConversions::nodeInfo);
  }

  /**
   * One page of the records the node holds (its inventory, kadmesh.v1.Admin): {@code pageSize}
   * from 1 to 1000 (0: the node's default, 100), from {@code pageToken} (empty: the first page;
   * else a {@link RecordPage#nextPageToken()}). INVALID_ARGUMENT for a page size over the limit or
   * a token no page gave.
   */
  public RecordPage listRecords(int pageSize, String pageToken) {
    ListRecordsRequest request = ListRecordsRequest.newBuilder()
        .setPageSize(pageSize)
        .setPageToken(Objects.requireNonNull(pageToken, "pageToken"))
        .build();
    return call(() -> admin().listRecords(request), ProtoConversions::recordPage);
  }

  /** The node's routing table: every contact, and every one in a replacement cache, by bucket. */
  public List<RoutingContact> listContacts() {
    return call(() -> admin().listContacts(ListContactsRequest.getDefaultInstance()),
        ProtoConversions::contacts);
  }

  /**
   * Takes the node out of service before a planned shutdown: health NOT_SERVING, its announced
   * endpoints withdrawn, its records handed to the closest other nodes; it keeps answering reads.
   * Safe to call again. The hand-off may take up to twice the node's operation timeout: give this
   * client a timeout to match ({@link #withTimeout}).
   */
  public DrainResult drain() {
    return call(() -> admin().drain(DrainRequest.getDefaultInstance()), ProtoConversions::drain);
  }

  /** {@link #put(String, byte[])} without blocking; fails with {@link KadmeshException}. */
  public CompletableFuture<PutResult> putAsync(String key, byte[] value) {
    return toCompletable(future().put(putRequest(key, value, null)), KadmeshClient::putResult);
  }

  /** {@link #put(String, byte[], Duration)} without blocking; fails with {@link KadmeshException}. */
  public CompletableFuture<PutResult> putAsync(String key, byte[] value, Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    return toCompletable(future().put(putRequest(key, value, ttl)), KadmeshClient::putResult);
  }

  /** {@link #get(String)} without blocking; fails with {@link KadmeshException}. */
  public CompletableFuture<Optional<Entry>> getAsync(String key) {
    return toCompletable(future().get(getRequest(key, 0)), KadmeshClient::entry);
  }

  /** {@link #get(String, int)} without blocking; fails with {@link KadmeshException}. */
  public CompletableFuture<Optional<Entry>> getAsync(String key, int quorum) {
    GetRequest request = getRequest(key, requireQuorum(quorum));
    return toCompletable(future().get(request), KadmeshClient::entry);
  }

  /**
   * Lets go of the channel {@link #connect} opened, waiting briefly for calls in flight if that
   * closes it: the connected client's close closes it for every client sharing it; a view's
   * ({@link #withTimeout}) closes it when no other client holds it. Over a caller's channel
   * ({@link #over}), does nothing. Closing twice is harmless.
   */
  @Override
  public void close() {
    if (shared == null) {
      return;
    }
    hold.clean();
    if (connected) {
      shared.shutdown();
    }
    shared.awaitIfShutdown();
  }

  /** Sends a record {@link SignedRecords} signed; its key is the client's own hash. */
  SignedWriteResult putSigned(PutSignedRequest request) {
    SignedRecord record = request.getRecord();
    String key = HexFormat.of().formatHex(
        RecordKeys.signedKey(record.getPublicKey().toByteArray(), record.getName()));
    return call(() -> blocking().putSigned(request),
        response -> new SignedWriteResult(response.getReplicas(), key, record.getSeq(),
            ProtoConversions.instant(record.getExpiresAt()), record.getTombstone()));
  }

  // A stub's deadline is absolute, so each call needs a fresh one.
  private DhtGrpc.DhtBlockingStub blocking() {
    return DhtGrpc.newBlockingStub(channel).withDeadlineAfter(timeout);
  }

  private AdminGrpc.AdminBlockingStub admin() {
    return AdminGrpc.newBlockingStub(channel).withDeadlineAfter(timeout);
  }

  private DhtGrpc.DhtFutureStub future() {
    return DhtGrpc.newFutureStub(channel).withDeadlineAfter(timeout);
  }

  private static PutRequest putRequest(String key, byte[] value, Duration ttl) {
    PutRequest.Builder request =
        PutRequest.newBuilder()
            .setKey(Objects.requireNonNull(key, "key"))
            .setValue(ByteString.copyFrom(Objects.requireNonNull(value, "value")));
    if (ttl != null) {
      request.setTtl(ProtoConversions.duration(ttl));
    }
    return request.build();
  }

  private static GetRequest getRequest(String key, int quorum) {
    return GetRequest.newBuilder().setKey(Objects.requireNonNull(key, "key")).setQuorum(quorum)
        .build();
  }

  // The upper bound is the node's k, which only the node knows: it names it when it refuses.
  private static int requireQuorum(int quorum) {
    if (quorum < 0) {
      throw new IllegalArgumentException("quorum must be 0 (the node's) or more, was " + quorum);
    }
    return quorum;
  }

  private static PutResult putResult(PutResponse response) {
    return new PutResult(
        response.getReplicas(),
        ProtoConversions.version(response.getVersion()),
        ProtoConversions.instantOrNull(response.hasExpiresAt(), response.getExpiresAt()));
  }

  private static Optional<Entry> entry(GetResponse response) {
    if (!response.getFound()) {
      return Optional.empty();
    }
    return Optional.of(
        new Entry(
            response.getValue().toByteArray(),
            ProtoConversions.version(response.getVersion()),
            ProtoConversions.instantOrNull(response.hasExpiresAt(), response.getExpiresAt())));
  }

  private static DeleteResult deleteResult(DeleteResponse response) {
    return new DeleteResult(response.getReplicas(), ProtoConversions.version(response.getVersion()));
  }

  private static <R, T> T call(Supplier<R> rpc, Function<R, T> convert) {
    R response;
    try {
      response = rpc.get();
    } catch (StatusRuntimeException e) {
      throw KadmeshException.from(e);
    }
    return convert.apply(response);
  }

  private static <R, T> CompletableFuture<T> toCompletable(
      ListenableFuture<R> call, Function<R, T> convert) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Futures.addCallback(
        call,
        new FutureCallback<R>() {
          @Override
          public void onSuccess(R response) {
            result.complete(convert.apply(response));
          }

          @Override
          public void onFailure(Throwable failure) {
            result.completeExceptionally(KadmeshException.from(failure));
          }
        },
        MoreExecutors.directExecutor());
    // Cancelling the caller's future cancels the RPC, so the node can abandon the work.
    result.whenComplete(
        (ignored, failure) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    return result;
  }
}
