package io.kadmesh.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.util.MutableHandlerRegistry;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.SystemScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.server.ContactSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the Kademlia core behind its two gRPC servers, the peer port (Kademlia) and the
 * API port (Dht), each with health and reflection. Built on injected {@link ServerBuilder}s, so
 * tests run it in-process and production on Netty. start → join → … → close.
 *
 * <p>With a {@link ContactSnapshot}, the routing table's contacts are saved every snapshot
 * interval and on close, and the contacts saved by the last run join the bootstrap addresses, so a
 * restarted node rejoins through the peers it knew.
 */
public final class KadmeshServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KadmeshServer.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  private static final Duration MAX_JOIN_BACKOFF = Duration.ofMinutes(1);
  /** How often the routing table's contacts are saved when the node has a contact snapshot. */
  public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMinutes(1);

  private final Server peerServer;
  private final Server apiServer;
  private final KademliaNode node;
  private final GrpcPeerTransport transport;
  private final RecordStore store;
  private final Scheduler scheduler;
  private final AutoCloseable ownedScheduler;
  private final HealthStatusManager health;
  private final NodeAddresses addresses;
  private final List<String> bootstrap;
  /** The bootstrap addresses, then those of the contacts the last run saved. */
  private final List<String> joinAddresses;
  private final ContactSnapshot snapshot;
  private final Duration snapshotInterval;
  private final Object snapshotLock = new Object();
  private volatile Scheduler.Cancellable nextSnapshot;
  private volatile boolean closed;

  private KadmeshServer(Builder b) throws IOException {
    NodeConfig config = b.config;
    this.store = b.store;
    this.scheduler = b.scheduler;
    this.ownedScheduler = b.ownedScheduler;
    this.bootstrap = List.copyOf(b.bootstrap);
    this.snapshot = b.snapshot;
    this.snapshotInterval = b.snapshotInterval;
    this.health = new HealthStatusManager();
    setHealth(ServingStatus.NOT_SERVING);

    // The node's contact names the peer port, which is known only once the server is bound (port
    // 0 in tests), so the Kademlia and Dht services join their servers after the node exists.
    MutableHandlerRegistry peerServices = new MutableHandlerRegistry();
    MutableHandlerRegistry apiServices = new MutableHandlerRegistry();
    this.peerServer = withStandardServices(b.peerServerBuilder, peerServices).build().start();
    try {
      this.apiServer = withStandardServices(b.apiServerBuilder, apiServices).build().start();
    } catch (IOException | RuntimeException e) {
      peerServer.shutdownNow();
      throw e;
    }
    String peerBound = withBoundPort(b.peerAddress, peerServer);
    String advertised = b.advertiseAddress == null ? peerBound : withBoundPort(b.advertiseAddress, peerServer);
    this.addresses = new NodeAddresses(peerBound, withBoundPort(b.apiAddress, apiServer), advertised);

    Contact self = new Contact(b.nodeId, advertised);
    this.joinAddresses = withSavedContacts(bootstrap, snapshot, self);
    this.transport = new GrpcPeerTransport(self, config.network(), config.rpcTimeout(), b.channelFactory);
    this.node = new KademliaNode(config, self, transport, store, scheduler, b.random);
    peerServices.addService(UnparsableRequests.guard(new KademliaService(node).bindService()));
    apiServices.addService(
        UnparsableRequests.guard(new DhtService(node, addresses, scheduler.now(), b.dataDirectory).bindService()));
  }

  private static List<String> withSavedContacts(List<String> bootstrap, ContactSnapshot snapshot,
      Contact self) {
    Set<String> addresses = new LinkedHashSet<>(bootstrap);
    if (snapshot != null) {
      try {
        for (Contact c : snapshot.read()) {
          if (!c.id().equals(self.id()) && !c.address().equals(self.address())) {
            addresses.add(c.address());
          }
        }
      } catch (IOException e) {
        log.warn("could not read the contact snapshot {}: {}", snapshot.file(), e.toString());
      }
      int remembered = addresses.size() - bootstrap.size();
      if (remembered > 0) {
        log.info("rejoining through {} contacts saved in {} as well", remembered, snapshot.file());
      }
    }
    return new ArrayList<>(addresses);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts maintenance and joins through the bootstrap addresses, retrying until one answers. */
  public KadmeshServer start() {
    node.start();
    log.info("node {} serving peers on {} (advertised as {}), applications on {}, network '{}'",
        node.self().id().toHex(), addresses.peer(), addresses.advertised(), addresses.api(),
        node.config().network());
    scheduleSnapshot();
    joinWithBackoff(Duration.ofSeconds(1));
    return this;
  }

  private void scheduleSnapshot() {
    if (snapshot == null || closed) {
      return;
    }
    nextSnapshot = scheduler.schedule(snapshotInterval, () -> {
      if (!closed) {
        saveSnapshot();
        scheduleSnapshot();
      }
    });
  }

  /**
   * Writes the routing table's contacts to the snapshot. An empty table does not replace the
   * snapshot: a node that lost every contact keeps the ones it knew for its next start.
   */
  private void saveSnapshot() {
    if (snapshot == null) {
      return;
    }
    List<Contact> contacts = node.contacts();
    if (contacts.isEmpty()) {
      return;
    }
    synchronized (snapshotLock) {
      try {
        snapshot.write(contacts);
      } catch (IOException | RuntimeException e) {
        log.warn("could not save the contact snapshot {}: {}", snapshot.file(), e.toString());
      }
    }
  }

  private void joinWithBackoff(Duration backoff) {
    if (closed) {
      return;
    }
    node.join(joinAddresses).whenComplete((ignored, failure) -> {
      if (closed) {
        return;
      }
      if (failure == null && (joinAddresses.isEmpty() || node.isJoined())) {
        setHealth(ServingStatus.SERVING);
        log.info(joinAddresses.isEmpty()
            ? "running alone (no bootstrap addresses): serving"
            : "joined the network, {} contacts: serving", node.contacts().size());
        return;
      }
      if (bootstrap.isEmpty()) {
        // Only remembered contacts, none of which answered yet: serve alone meanwhile, as a node
        // with no bootstrap addresses does, and keep trying them.
        setHealth(ServingStatus.SERVING);
      }
      log.warn("could not join through {}: {}; retrying in {}s", joinAddresses,
          failure == null ? "no bootstrap node answered" : failure.toString(), backoff.toSeconds());
      Duration next = backoff.multipliedBy(2).compareTo(MAX_JOIN_BACKOFF) > 0
          ? MAX_JOIN_BACKOFF : backoff.multipliedBy(2);
      scheduler.schedule(backoff, () -> joinWithBackoff(next));
    });
  }

  public KademliaNode node() {
    return node;
  }

  public NodeAddresses addresses() {
    return addresses;
  }

  /** The bound peer port (-1 for an in-process server). */
  public int peerPort() {
    return peerServer.getPort();
  }

  /** The bound API port (-1 for an in-process server). */
  public int apiPort() {
    return apiServer.getPort();
  }

  /** Blocks until both servers have terminated. */
  public void blockUntilShutdown() throws InterruptedException {
    peerServer.awaitTermination();
    apiServer.awaitTermination();
  }

  /**
   * Stops gracefully: reports NOT_SERVING, lets in-flight application calls finish for a grace
   * period, saves the contact snapshot, hands this node's records to the next closest nodes, then
   * stops the peer port and closes the node, its transport and its store. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    cancelSnapshots();
    health.enterTerminalState();
    apiServer.shutdown();
    try {
      awaitOrForce(apiServer);
      // Before the hand-off: peers that left first would fail it and drop out of the table.
      saveSnapshot();
      handOff();
      peerServer.shutdown();
      awaitOrForce(peerServer);
    } finally {
      release();
      log.info("node {} stopped", node.self().id().shortHex());
    }
  }

  /**
   * Stops at once, as a crash would: calls in flight fail, no records are handed off and no
   * snapshot is written. For tests of what the network survives.
   */
  public synchronized void crash() {
    if (closed) {
      return;
    }
    closed = true;
    cancelSnapshots();
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

  private void cancelSnapshots() {
    Scheduler.Cancellable pending = nextSnapshot;
    if (pending != null) {
      pending.cancel();
    }
  }

  private void release() {
    node.close();
    transport.close();
    store.close();
    closeQuietly(ownedScheduler);
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

  private ServerBuilder<?> withStandardServices(ServerBuilder<?> builder, MutableHandlerRegistry registry) {
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
    private Function<String, ManagedChannel> channelFactory;
    private List<String> bootstrap = List.of();
    private ContactSnapshot snapshot;
    private Duration snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
    private Path dataDirectory;
    private RecordStore store;
    private Scheduler scheduler;
    private AutoCloseable ownedScheduler;
    private Random random = new Random();
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
    public Builder channelFactory(Function<String, ManagedChannel> v) { channelFactory = v; return this; }
    public Builder bootstrap(List<String> v) { bootstrap = v; return this; }

    /**
     * Saves the routing table's contacts to {@code v} every {@code interval} and on close, and
     * joins through the contacts it holds on start, besides the bootstrap addresses. None by default.
     */
    public Builder contactSnapshot(ContactSnapshot v, Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("snapshot interval must be positive: " + interval);
      }
      snapshot = Objects.requireNonNull(v, "snapshot");
      snapshotInterval = interval;
      return this;
    }

    /** The node's data directory, reported by GetNodeInfo; none for a node that keeps nothing on disk. */
    public Builder dataDirectory(Path v) { dataDirectory = v; return this; }
    /** Where records live; the server closes it. Defaults to memory, sized by the config. */
    public Builder store(RecordStore v) { store = v; return this; }
    /** Time and timers; the caller keeps ownership. Defaults to a wall-clock scheduler it owns. */
    public Builder scheduler(Scheduler v) { scheduler = v; return this; }
    public Builder random(Random v) { random = v; return this; }

    /** Binds both ports and builds the node; {@link KadmeshServer#start()} sets it going. */
    public KadmeshServer build() throws IOException {
      if (built) {
        throw new IllegalStateException("a builder builds one server");
      }
      built = true;
      Objects.requireNonNull(peerServerBuilder, "peerServer");
      Objects.requireNonNull(apiServerBuilder, "apiServer");
      Objects.requireNonNull(channelFactory, "channelFactory");
      if (store == null) {
        store = new InMemoryRecordStore(config.maxRecords(), config.maxStoredBytes());
      }
      if (scheduler == null) {
        SystemScheduler own = new SystemScheduler();
        scheduler = own;
        ownedScheduler = own;
      }
      if (nodeId == null) {
        nodeId = NodeId.random(random);
      }
      return new KadmeshServer(this);
    }
  }
}
