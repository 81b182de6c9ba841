package io.kadmesh.server.grpc;

import io.kadmesh.server.HostPort;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import io.kadmesh.core.AddressResolver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.SystemScheduler;
import io.kadmesh.core.mesh.AnnouncementRules;
import io.kadmesh.core.mesh.AnnouncementStore;
import io.kadmesh.core.mesh.Announcer;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.mesh.EndpointPublisher;
import io.kadmesh.core.node.WriteResult;
import io.kadmesh.core.mesh.HealthProbe;
import io.kadmesh.core.mesh.InMemoryAnnouncementStore;
import io.kadmesh.core.mesh.NodeDrain;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.node.NodeMetrics;
import io.kadmesh.core.storage.ContactStore;
import io.kadmesh.core.storage.InMemoryContactStore;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.server.dashboard.DashboardHandler;
import io.kadmesh.server.dashboard.StatusJson;
import io.kadmesh.server.metrics.AdminServer;
import io.kadmesh.server.metrics.NodeGauges;
import io.kadmesh.server.metrics.NodeStatus;
import io.kadmesh.server.metrics.PrometheusNodeMetrics;
import io.kadmesh.server.metrics.RecentFailures;
import io.kadmesh.server.metrics.WatchGauges;
import io.kadmesh.server.xds.XdsServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a Kademlia node on its two gRPC ports, the peer port (Kademlia) and the API port (Dht),
 * each with health and reflection, and optionally the admin HTTP port with {@code /metrics}. Built
 * on injected {@link ServerBuilder}s, so tests run it in-process and production on Netty.
 * build → start (binds, joins) → … → close.
 *
 * <p>Serving is all it does: how the node joins, rejoins and keeps its contacts is the node's own
 * policy ({@link KademliaNode#connect}); health follows {@link KademliaNode#isServing()}.
 */
public final class KadmeshServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KadmeshServer.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  /** How long an application call may take before it is logged as slow. */
  public static final Duration DEFAULT_SLOW_OPERATION = Duration.ofSeconds(1);

  private final Builder spec;
  private final Server peerServer;
  private final Server apiServer;
  private final MutableHandlerRegistry peerServices = new MutableHandlerRegistry();
  private final LazyServices apiServices = new LazyServices();
  private final HealthStatusManager health = new HealthStatusManager();
  private final PeerRateLimiter peerRateLimiter;
  private final AdminServer admin = new AdminServer();
  private final RecentFailures failures;
  private volatile StatusJson dashboardStatus;
  private volatile KademliaNode node;
  private volatile GrpcPeerTransport transport;
  private volatile NodeAddresses addresses;
  private volatile Announcer announcer;
  private volatile DhtService dhtService;
  private volatile XdsServer xds;
  private volatile NodeDrain drain;
  /** Held while health is set, so that a drain's NOT_SERVING is never overwritten by the node's. */
  private final Object healthLock = new Object();
  private boolean started;
  private volatile boolean closed;

  /**
   * A health service name that is SERVING for as long as the process answers, joined or not: what
   * a liveness probe checks, so that a node cut off from its peers is not restarted for it.
   */
  public static final String LIVENESS_HEALTH_NAME = "liveness";

  /** The ADS service's name (a constant, inlined: naming it loads none of the xDS classes). */
  private static final String XDS_SERVICE = XdsServer.SERVICE_NAME;

  private KadmeshServer(Builder b) {
    this.spec = b;
    setHealth(ServingStatus.NOT_SERVING);
    this.failures = new RecentFailures(RecentFailures.DEFAULT_CAPACITY, b.scheduler::now);
    health.setStatus(LIVENESS_HEALTH_NAME, ServingStatus.SERVING);
    // The node's contact names the peer port, which is known only once the server is bound (port
    // 0 in tests), so the Kademlia and Dht services join their servers after the node exists.
    this.peerServer = withStandardServices(b.peerServerBuilder, peerServices,
        rpcMetrics("peer", "on the peer port (Kademlia, from other nodes)")).build();
    // Innermost on the API port: the request ID is in the MDC while the handler runs.
    b.apiServerBuilder.intercept(new RequestLog(b.slowOperation, System::nanoTime,
        request -> RequestKeys.hashPrefix(node, request)));
    this.apiServer = withStandardServices(b.apiServerBuilder, apiServices,
        rpcMetrics("api", "on the API port (Dht, from applications)")).build();
    if (b.jvmMetrics && b.metrics) {
      admin.registerJvmMetrics();
    }
    this.peerRateLimiter = b.config.peerRateLimit() == 0 ? null
        : new PeerRateLimiter(b.config.peerRateLimit(), b.config.exemptLoopback(), b.scheduler);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds both ports (and the admin port unless it is off), builds the node and sets it going:
   * maintenance, then the join through the bootstrap addresses and saved contacts. Fails with
   * IOException when a port cannot be bound.
   */
  public synchronized KadmeshServer start() throws IOException {
    if (started) {
      throw new IllegalStateException("a server starts once");
    }
    started = true;
    peerServer.start();
    try {
      apiServer.start();
      if (!AdminServer.isOff(spec.adminAddress)) {
        admin.start(HostPort.parse(spec.adminAddress), new DashboardHandler(this::renderDashboardStatus));
      }
    } catch (IOException | RuntimeException e) {
      peerServer.shutdownNow();
      apiServer.shutdownNow();
      throw e;
    }
    String peerBound = withBoundPort(spec.peerAddress, peerServer);
    String advertised = spec.advertiseAddress == null ? peerBound : withBoundPort(spec.advertiseAddress, peerServer);
    addresses = new NodeAddresses(peerBound, withBoundPort(spec.apiAddress, apiServer), advertised);

    Contact self = new Contact(spec.nodeId, advertised);
    NodeConfig config = spec.config;
    transport = spec.metrics
        ? new GrpcPeerTransport(self, config.network(), config.rpcTimeout(), spec.channelFactory,
            GrpcPeerTransport.DEFAULT_MAX_CHANNELS, new PeerClientMetrics(admin.registry()))
        : new GrpcPeerTransport(self, config.network(), config.rpcTimeout(), spec.channelFactory,
            GrpcPeerTransport.DEFAULT_MAX_CHANNELS);
    node = new KademliaNode(config, self, transport, spec.store, spec.contactStore, spec.scheduler,
        spec.random, spec.metrics ? new PrometheusNodeMetrics(admin.registry()) : NodeMetrics.NONE);
    if (spec.metrics) {
      NodeGauges.register(admin.registry(), node);
    }
    Instant startedAt = spec.scheduler.now();
    NodeAddresses bound = addresses;
    dashboardStatus = new StatusJson(
        () -> NodeStatus.read(node, bound.peer(), bound.api(), bound.advertised(), startedAt, spec.dataDirectory),
        node::contactViews, admin.registry(), failures, spec.scheduler::now);
    EndpointPublisher publisher = spec.endpointPublisher != null ? spec.endpointPublisher
        : endpointPublisher(node, spec.nodeKey);
    announcer = new Announcer(self.id(), spec.scheduler, publisher,
        spec.announcementStore, spec.healthProbe, new AnnouncementRules(config.maxTtl()));
    try {
      announcer.restore();
    } catch (IOException e) {
      log.warn("the saved announcements cannot be read, so none are announced again: {}",
          e.getMessage());
    }
    // Outermost: a certificate that names no node is refused before anything else runs.
    peerServices.addService(ServerInterceptors.intercept(
        rateLimited(UnparsableRequests.guard(new KademliaService(node).bindService())),
        new CertifiedCaller()));
    dhtService = new DhtService(node, addresses, startedAt, spec.dataDirectory,
        announcer, Ed25519Keys.raw(spec.nodeKey.getPublic()));
    apiServices.addService(UnparsableRequests.guard(dhtService.bindService()));
    // xDS (ADS) for gRPC's own clients: as many services as the node serves Watch streams. Made
    // on its first stream (or listing): its classes are a sidecar's cost that few nodes use.
    apiServices.addLazyService(XDS_SERVICE, () -> {
      xds = new XdsServer(node, config.watch().maxWatchStreams());
      return xds.bindService();
    });
    if (spec.metrics) {
      WatchGauges.register(admin.registry(), node, dhtService::openWatchStreams);
    }
    drain = new NodeDrain(node, spec.scheduler, announcer, () -> {
      synchronized (healthLock) {
        setHealth(ServingStatus.NOT_SERVING);
      }
    });
    apiServices.addService(UnparsableRequests.guard(new AdminService(node, drain).bindService()));
    node.setStatusListener(this::followNode);
    node.setAddressResolver(spec.addressResolver);

    node.start();
    log.info("node {} serving peers on {} (advertised as {}), applications on {}, network '{}'",
        self.id().toHex(), addresses.peer(), addresses.advertised(), addresses.api(), config.network());
    if (admin.port() > 0) {
      log.info("admin port (/metrics, the dashboard at /) on {}", HostPort.parse(spec.adminAddress).withPort(admin.port()));
    }
    // Saved announcements go out once the node has joined, so that they reach their replicas.
    node.connect(spec.bootstrap).whenComplete((v, e) -> announcer.start());
    return this;
  }

  /**
   * The one place where announcements meet endpoint records: each entry is signed with the node's
   * key and stored on its service key's replicas through the node, within the node's default
   * operation deadline.
   */
  private static EndpointPublisher endpointPublisher(KademliaNode node, KeyPair nodeKey) {
    return (entry, seq, expiresAt, withdrawn) -> node.putEndpoint(
        EndpointRecords.sign(entry, seq, expiresAt, withdrawn, nodeKey), null)
        .thenApply(WriteResult::replicas);
  }

  /**
   * Health follows the node, which calls this once its first join is done and whenever it starts
   * or stops serving. Called on the node's threads (event loops among them), so it takes no lock:
   * close() holds the server's while the hand-off waits on those threads.
   */
  private void followNode() {
    if (closed) {
      return;
    }
    boolean serving = node.isServing();
    synchronized (healthLock) {
      // A drained node stays NOT_SERVING until it stops, whatever its membership says.
      if (drain != null && drain.isDrained()) return;
      setHealth(serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }
    log.info(serving ? "serving: {} contacts" : "not serving: no live peer among {} contacts",
        node.contacts().size());
  }

  /** What the node announces for the application beside it; valid once started. */
  public Announcer announcer() {
    return requireStarted(announcer);
  }

  /** The node's xDS control plane on the API port (made now if no client has used it yet); valid once started. */
  public XdsServer xds() {
    requireStarted(node);
    apiServices.make(XDS_SERVICE);
    return requireStarted(xds);
  }

  /** Takes the node out of service (Admin's Drain); valid once started. */
  public NodeDrain drain() {
    return requireStarted(drain);
  }

  /** The node; valid once started. */
  public KademliaNode node() {
    return requireStarted(node);
  }

  /**
   * The registry the node's metrics go to, what {@code /metrics} serves: empty when metrics are off
   * ({@link Builder#metrics}). For a process that holds its nodes (tests, the bench).
   */
  public PrometheusRegistry metricsRegistry() {
    return admin.registry();
  }

  /** The dashboard's {@code /api/status}, or null until the node is built. */
  private String renderDashboardStatus() {
    StatusJson status = dashboardStatus;
    return status == null ? null : status.render();
  }

  /** Where the node listens and what it tells peers; valid once started. */
  public NodeAddresses addresses() {
    return requireStarted(addresses);
  }

  /** The bound peer port (-1 for an in-process server); valid once started. */
  public int peerPort() {
    requireStarted(node);
    return peerServer.getPort();
  }

  /** The bound API port (-1 for an in-process server); valid once started. */
  public int apiPort() {
    requireStarted(node);
    return apiServer.getPort();
  }

  /** The bound admin HTTP port, or -1 when it is off; valid once started. */
  public int adminPort() {
    requireStarted(node);
    return admin.port();
  }

  /** Blocks until both servers have terminated. */
  public void blockUntilShutdown() throws InterruptedException {
    peerServer.awaitTermination();
    apiServer.awaitTermination();
  }

  /**
   * Stops gracefully: reports NOT_SERVING, lets in-flight application calls finish for a grace
   * period, withdraws the endpoints it announces (keeping them saved for the next start), saves the
   * node's contacts, hands its records to the next closest nodes, then stops the peer port and
   * closes the node, its transport and its store. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    health.enterTerminalState();
    apiServer.shutdown();
    if (dhtService != null) {
      dhtService.endWatches();
    }
    if (xds != null) {
      xds.endStreams();
    }
    try {
      awaitOrForce(apiServer);
      if (node != null) {
        withdrawAnnouncements();
        // Before the hand-off: peers that left first would fail it and drop out of the table.
        node.saveContacts();
        handOff();
      }
      peerServer.shutdown();
      awaitOrForce(peerServer);
    } finally {
      release();
      if (node != null) {
        log.info("node {} stopped", node.self().id().shortHex());
      }
    }
  }

  /**
   * Stops at once, as a crash would: calls in flight fail, no records are handed off and no
   * contacts are saved beyond what the node saved already. For tests of what the network survives.
   */
  public synchronized void crash() {
    if (closed) {
      return;
    }
    closed = true;
    apiServer.shutdownNow();
    peerServer.shutdownNow();
    release();
  }

  /**
   * Stores what this node holds on the next closest nodes before it leaves (paper §2.5), while
   * the peer port still answers, so that k replicas remain without waiting for republish.
   */
  private void handOff() {
    Duration timeout = node.config().operationTimeout();
    try {
      node.leave(timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("hand-off before leaving did not finish: {}", e.getCause() == null ? e : e.getCause().getMessage());
    }
  }

  /**
   * Publishes the withdrawal of every announced endpoint while the node is still part of its
   * network, so that resolvers stop seeing them now rather than when their entries expire.
   */
  private void withdrawAnnouncements() {
    Duration timeout = node.config().operationTimeout();
    try {
      announcer.withdrawAll(timeout).get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("withdrawing the announced endpoints did not finish: {}", e.toString());
    }
  }

  private void release() {
    admin.close();
    if (announcer != null) {
      announcer.close();
    }
    closeQuietly(spec.healthProbe);
    closeQuietly(xds);
    if (node != null) {
      node.close();
      transport.close();
    }
    closeQuietly(spec.store);
    closeQuietly(spec.ownedScheduler);
    if (spec.callExecutor != null) {
      // Both servers have terminated (or were forced to): no call is left to run on it.
      spec.callExecutor.close();
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      log.warn("closing {} failed", resource, e);
    }
  }

  private static void awaitOrForce(Server server) {
    try {
      if (!server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        server.shutdownNow();
        server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private ServerServiceDefinition rateLimited(ServerServiceDefinition service) {
    return peerRateLimiter == null ? service : ServerInterceptors.intercept(service, peerRateLimiter);
  }

  /** The interceptor that counts and times one port's calls, or null when metrics are off. */
  private RpcMetrics rpcMetrics(String port, String description) {
    return spec.metrics ? RpcMetrics.forPort(port, description, admin.registry(), failures) : null;
  }

  /** {@code metrics} null: the port's calls are not counted (metrics off). */
  private ServerBuilder<?> withStandardServices(ServerBuilder<?> builder, HandlerRegistry registry,
      RpcMetrics metrics) {
    ServerLimits.apply(builder, spec.config);
    if (spec.callExecutor != null) {
      // Calls are admitted on the event loop and run on the bounded pool (see CallExecutor);
      // added after every interceptor but the metrics, so that it refuses before any other runs.
      builder.directExecutor().intercept(spec.callExecutor.admission());
    }
    // Outermost (added last): it counts every call, those the admission refuses among them.
    if (metrics != null) {
      builder.intercept(metrics);
    }
    return builder
        .addService(UnparsableRequests.guard(health.getHealthService().bindService()))
        .addService(UnparsableRequests.guard(ProtoReflectionServiceV1.newInstance().bindService()))
        .addService(UnparsableRequests.guard(legacyReflection().bindService()))
        .fallbackHandlerRegistry(registry);
  }

  @SuppressWarnings("deprecation") // v1alpha is what most grpcurl builds in use still ask for.
  private static io.grpc.BindableService legacyReflection() {
    return ProtoReflectionService.newInstance();
  }

  private void setHealth(ServingStatus status) {
    health.setStatus("", status);
    health.setStatus(KademliaGrpc.SERVICE_NAME, status);
    health.setStatus(DhtGrpc.SERVICE_NAME, status);
    health.setStatus(AdminGrpc.SERVICE_NAME, status);
  }

  private static <T> T requireStarted(T value) {
    if (value == null) {
      throw new IllegalStateException("the server has not started");
    }
    return value;
  }

  /** The configured address with port 0 replaced by the port the server bound. */
  private static String withBoundPort(String address, Server server) {
    HostPort hp = HostPort.parse(address);
    return hp.port() == 0 && server.getPort() > 0 ? hp.withPort(server.getPort()).toString() : address;
  }

  /** What a node is made of; everything but the two server builders has a default. */
  public static final class Builder {
    private NodeConfig config = NodeConfig.defaults();
    private NodeId nodeId;
    private ServerBuilder<?> peerServerBuilder;
    private ServerBuilder<?> apiServerBuilder;
    private String peerAddress;
    private String apiAddress;
    private String advertiseAddress;
    private String adminAddress;
    private boolean jvmMetrics;
    private boolean metrics = true;
    private Duration slowOperation = DEFAULT_SLOW_OPERATION;
    private Function<String, ManagedChannel> channelFactory;
    private AddressResolver addressResolver = AddressResolver.IDENTITY;
    private List<String> bootstrap = List.of();
    private ContactStore contactStore;
    private Path dataDirectory;
    private RecordStore store;
    private Scheduler scheduler;
    private AutoCloseable ownedScheduler;
    private Random random = new Random();
    private CallExecutor callExecutor;
    private KeyPair nodeKey;
    private AnnouncementStore announcementStore;
    private HealthProbe healthProbe;
    private EndpointPublisher endpointPublisher;
    private boolean built;

    private Builder() {}

    public Builder config(NodeConfig v) { config = v; return this; }
    public Builder nodeId(NodeId v) { nodeId = v; return this; }

    /** The peer port's server and the address it binds (port 0: any free port). */
    public Builder peerServer(ServerBuilder<?> builder, String address) {
      peerServerBuilder = builder;
      peerAddress = address;
      return this;
    }

    /** The API port's server and the address it binds (port 0: any free port). */
    public Builder apiServer(ServerBuilder<?> builder, String address) {
      apiServerBuilder = builder;
      apiAddress = address;
      return this;
    }

    /** What peers are told to dial; defaults to the peer address; port 0 means the bound port. */
    public Builder advertiseAddress(String v) { advertiseAddress = v; return this; }
    /**
     * The admin HTTP port's address (port 0: any free port), which serves {@code /metrics}; null or
     * "off" (the default) serves none: a process that runs many nodes keeps the default.
     */
    public Builder adminAddress(String v) { adminAddress = v; return this; }

    /**
     * An application call that takes this long or longer logs a WARN line with its request ID
     * (default {@link KadmeshServer#DEFAULT_SLOW_OPERATION}).
     */
    public Builder slowOperation(Duration v) {
      if (v.isNegative() || v.isZero()) {
        throw new IllegalArgumentException("the slow-operation threshold must be positive, got " + v);
      }
      slowOperation = v;
      return this;
    }

    /** Adds the JVM's and the process's metrics to this node's: for a process that runs this node alone. */
    public Builder jvmMetrics(boolean v) { jvmMetrics = v; return this; }

    /**
     * Whether the node records metrics at all (default true). False: no call on either port is
     * counted or timed, no peer request, lookup or upkeep work, no gauge; the registry stays
     * empty, so an admin address is refused (there would be nothing to serve). For measuring what
     * the metrics cost ({@code kadmesh bench --no-metrics}).
     */
    public Builder metrics(boolean v) { metrics = v; return this; }

    public Builder channelFactory(Function<String, ManagedChannel> v) { channelFactory = v; return this; }
    /** How bootstrap addresses become peer addresses ({@code DnsAddressResolver}: each of a name's). Default: as given. */
    public Builder addressResolver(AddressResolver v) { addressResolver = Objects.requireNonNull(v); return this; }
    public Builder bootstrap(List<String> v) { bootstrap = List.copyOf(v); return this; }

    /**
     * Where the node keeps its contacts and bootstrap addresses across restarts (a data
     * directory's files); by default in memory, forgotten on exit.
     */
    public Builder contactStore(ContactStore v) { contactStore = Objects.requireNonNull(v, "contactStore"); return this; }

    /** The node's data directory, reported by GetNodeInfo; none for a node that keeps nothing on disk. */
    public Builder dataDirectory(Path v) { dataDirectory = v; return this; }
    /** Where records live; the server closes it. Defaults to memory, sized by the config. */
    public Builder store(RecordStore v) { store = v; return this; }
    /** Time and timers; the caller keeps ownership. Defaults to a wall-clock scheduler it owns. */
    public Builder scheduler(Scheduler v) { scheduler = v; return this; }
    public Builder random(Random v) { random = v; return this; }

    /**
     * Where both servers run their calls' handlers, instead of what their builders say; the server
     * closes it when it closes. A node whose store blocks (fsync per write) passes one here, so
     * that no event loop waits on the disk and no flood of calls grows the threads or the queue.
     */
    public Builder callExecutor(CallExecutor v) { callExecutor = Objects.requireNonNull(v, "callExecutor"); return this; }

    /**
     * The node's Ed25519 key, which signs the endpoints it announces (a data directory's); by
     * default a new one, forgotten on exit.
     */
    public Builder nodeKey(KeyPair v) { nodeKey = Objects.requireNonNull(v, "nodeKey"); return this; }

    /**
     * Where the node keeps its announcements across restarts (a data directory's file); by
     * default in memory, forgotten on exit.
     */
    public Builder announcementStore(AnnouncementStore v) { announcementStore = Objects.requireNonNull(v, "announcementStore"); return this; }

    /**
     * How announced endpoints' health is checked; the server closes it. By default grpc.health.v1
     * over plaintext Netty.
     */
    public Builder healthProbe(HealthProbe v) { healthProbe = Objects.requireNonNull(v, "healthProbe"); return this; }

    /**
     * Publishes what the node announces instead of its endpoint records (tests that watch what the
     * announcer publishes); by default the node's own, {@link KadmeshServer#endpointPublisher}.
     */
    public Builder endpointPublisher(EndpointPublisher v) { endpointPublisher = Objects.requireNonNull(v, "endpointPublisher"); return this; }

    /** The server, not yet bound: {@link KadmeshServer#start()} binds it and sets it going. */
    public KadmeshServer build() {
      if (built) {
        throw new IllegalStateException("a builder builds one server");
      }
      built = true;
      Objects.requireNonNull(peerServerBuilder, "peerServer");
      Objects.requireNonNull(apiServerBuilder, "apiServer");
      Objects.requireNonNull(channelFactory, "channelFactory");
      if (!metrics && !AdminServer.isOff(adminAddress)) {
        throw new IllegalArgumentException("a node without metrics serves no admin port: admin address "
            + adminAddress + " with metrics off");
      }
      if (store == null) {
        store = new InMemoryRecordStore(config.maxRecords(), config.maxStoredBytes());
      }
      if (contactStore == null) {
        contactStore = new InMemoryContactStore();
      }
      if (scheduler == null) {
        SystemScheduler own = new SystemScheduler();
        scheduler = own;
        ownedScheduler = own;
      }
      if (nodeId == null) {
        nodeId = NodeId.random(random);
      }
      if (nodeKey == null) {
        nodeKey = Ed25519Keys.generate();
      }
      if (announcementStore == null) {
        announcementStore = new InMemoryAnnouncementStore();
      }
      if (healthProbe == null) {
        healthProbe = GrpcHealthProbe.plaintext();
      }
      return new KadmeshServer(this);
    }
  }
}
