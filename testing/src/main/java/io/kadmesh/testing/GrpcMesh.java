package io.kadmesh.testing;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.kadmesh.client.Entry;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.client.KadmeshException;
import io.kadmesh.client.ValueVersion;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.Version;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.server.grpc.KadmeshServer;
import io.kadmesh.server.grpc.StatusMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Production nodes ({@link KadmeshServer}, in-memory stores) in this JVM over a
 * {@link GrpcTransport}, each member with a {@link KadmeshClient} on its API port as an
 * application beside it would have: put, get and delete go through the Dht API, on real time.
 */
public final class GrpcMesh implements Mesh {
  /** How long a newcomer may take to join. */
  private static final Duration JOIN_LIMIT = Duration.ofSeconds(20);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(5);
  /** Beyond the operation timeout, before {@link #await} gives up on a future of the core. */
  private static final Duration AWAIT_MARGIN = Duration.ofSeconds(5);

  private final GrpcTransport transport;
  private final NodeConfig config;
  private final Random random;
  private final JoinVia joinVia;
  private final PeerInterceptor interceptor;
  private final boolean metrics;
  // Read by the callbacks of asynchronous calls (kadmesh bench) while the test thread adds.
  private final List<Member> members = new CopyOnWriteArrayList<>();
  private long startedNanos;

  /** One running or gone node with the channel and client on its API port. */
  private static final class Member {
    final KadmeshServer server;
    final ManagedChannel channel;
    final KadmeshClient client;
    /** Every peer channel the node opened, to count those it has not shut down. */
    final List<ManagedChannel> peerChannels;
    volatile boolean running = true;

    Member(KadmeshServer server, ManagedChannel channel, List<ManagedChannel> peerChannels) {
      this.server = server;
      this.channel = channel;
      this.client = KadmeshClient.over(channel);
      this.peerChannels = peerChannels;
    }
  }

  private GrpcMesh(Builder b) {
    this.transport = b.transport;
    this.config = b.meshConfig();
    this.random = new Random(b.seed);
    this.joinVia = b.joinVia;
    this.interceptor = b.interceptor;
    this.metrics = b.metrics;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Member 0 runs alone, the others join one at a time, each awaited. */
  private GrpcMesh startMembers(int size) {
    try {
      for (int i = 0; i < size; i++) {
        if (i == 0) {
          addMember(List.of());
        } else {
          add();
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    startedNanos = System.nanoTime();
    return this;
  }

  @Override
  public int size() {
    return members.size();
  }

  @Override
  public KademliaNode node(int i) {
    return members.get(i).server.node();
  }

  /** Member {@code i}'s server, for its addresses and ports. */
  public KadmeshServer server(int i) {
    return members.get(i).server;
  }

  /** The client on member {@code i}'s API port, for calls the Mesh does not offer (asynchronous ones). */
  public KadmeshClient client(int i) {
    return members.get(i).client;
  }

  /** Peer channels member {@code i} opened and has not shut down: what a flood of contacts costs it. */
  public int openPeerChannels(int i) {
    return (int) members.get(i).peerChannels.stream().filter(c -> !c.isShutdown()).count();
  }

  @Override
  public boolean isRunning(int i) {
    return members.get(i).running;
  }

  @Override
  public List<Integer> running() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).running) out.add(i);
    }
    return out;
  }

  @Override
  public NodeConfig config() {
    return config;
  }

  @Override
  public WriteAck put(int i, String key, byte[] value, Duration ttl) {
    KadmeshClient c = runningClient(i);
    var r = call(() -> ttl == null ? c.put(key, value) : c.put(key, value, ttl));
    return new WriteAck(r.replicas(), version(r.version()));
  }

  @Override
  public Optional<Found> get(int i, String key) {
    KadmeshClient c = runningClient(i);
    Optional<Entry> e = call(() -> c.get(key));
    return e.map(entry -> new Found(ByteString.copyFrom(entry.value()), version(entry.version())));
  }

  @Override
  public WriteAck delete(int i, String key) {
    KadmeshClient c = runningClient(i);
    var r = call(() -> c.delete(key));
    return new WriteAck(r.replicas(), version(r.version()));
  }

  @Override
  public void crash(int i) {
    end(i, KadmeshServer::crash);
  }

  /** {@link KadmeshServer#close}: the hand-off is done when this returns. */
  @Override
  public void stop(int i) {
    end(i, KadmeshServer::close);
  }

  private void end(int i, Consumer<KadmeshServer> how) {
    Member m = members.get(i);
    if (m.running) {
      m.running = false;
      m.channel.shutdownNow();
      how.accept(m.server);
    }
  }

  @Override
  public int add() {
    List<Integer> up = running();
    if (up.isEmpty()) throw new IllegalStateException("no running member to join through");
    String through = server(joinVia.choose(up, random)).addresses().advertised();
    int i = addMember(List.of(through));
    KademliaNode node = node(i);
    awaitUntil(node::isJoined, JOIN_LIMIT);
    return i;
  }

  /** Polls {@code condition} every {@link #POLL_INTERVAL} on the caller's thread, as Awaitility does. */
  @Override
  public void awaitUntil(BooleanSupplier condition, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IllegalStateException("the condition did not hold within " + limit);
      }
      if (Thread.interrupted()) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting");
      }
      LockSupport.parkNanos(POLL_INTERVAL.toNanos());
    }
  }

  @Override
  public <T> T await(CompletableFuture<T> future) {
    Duration limit = config.operationTimeout().plus(AWAIT_MARGIN);
    try {
      future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      // Outcomes.value throws it below, as the DhtException it is when it is one.
    } catch (TimeoutException e) {
      throw new IllegalStateException("not done within " + limit, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
    return Outcomes.value(future);
  }

  @Override
  public InstantSource clock() {
    return InstantSource.system();
  }

  @Override
  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  @Override
  public void close() {
    // The whole mesh goes: handing records off to nodes about to stop too would only cost time.
    for (int i = 0; i < members.size(); i++) {
      crash(i);
    }
    for (Member m : members) {
      try {
        m.channel.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Starts a member that joins through {@code bootstrap} (none: it runs alone); not awaited. */
  private int addMember(List<String> bootstrap) {
    int i = members.size();
    GrpcTransport.Endpoint peer = transport.endpoint("peer" + i);
    GrpcTransport.Endpoint api = transport.endpoint("api" + i);
    // The advertised address is known once start() bound the peer port, after the join's first calls.
    AtomicReference<String> self = new AtomicReference<>("?");
    List<ManagedChannel> peerChannels = new CopyOnWriteArrayList<>();
    KadmeshServer.Builder builder = KadmeshServer.builder()
        .config(config)
        .nodeId(NodeId.random(random))
        .random(new Random(random.nextLong()))
        .peerServer(peer.builder(), peer.address())
        .apiServer(api.builder(), api.address())
        .channelFactory(callee -> {
          ManagedChannel c = peerChannel(self::get, callee);
          peerChannels.removeIf(ManagedChannel::isTerminated);
          peerChannels.add(c);
          return c;
        })
        .bootstrap(bootstrap)
        .metrics(metrics);
    KadmeshServer server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      server.crash();
      throw new UncheckedIOException("member " + i + " could not bind its ports", e);
    }
    self.set(server.addresses().advertised());
    members.add(new Member(server, transport.apiChannel(server.addresses().api()).build(), peerChannels));
    return i;
  }

  private ManagedChannel peerChannel(Supplier<String> sender, String callee) {
    ManagedChannelBuilder<?> b = transport.peerChannel(callee, config);
    if (interceptor != null) b.intercept(interceptor.forChannel(sender, callee));
    return b.build();
  }

  private KadmeshClient runningClient(int i) {
    if (!isRunning(i)) throw new IllegalStateException("member " + i + " is not running");
    return client(i);
  }

  /**
   * Runs a client call; its failure becomes the core's DhtException through the server's own
   * mapping, so that it looks as it does on every mesh. A status the core has no reason for
   * (INTERNAL, UNKNOWN, ...) breaks the node's error contract and is thrown as it is.
   */
  private static <T> T call(Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (KadmeshException e) {
      DhtException d = StatusMapper.toDhtException(
          Status.fromCode(e.code()).withDescription(e.description()), "");
      throw d != null ? d : e;
    }
  }

  private static Version version(ValueVersion v) {
    return new Version(v.sequence(), NodeId.fromHex(v.writerHex()));
  }

  /** The gRPC mesh's options. */
  public static final class Builder extends MeshBuilder<Builder, GrpcMesh> {
    private GrpcTransport transport = GrpcTransport.IN_PROCESS;
    private PeerInterceptor interceptor;
    private boolean metrics = true;

    private Builder() {}

    /** In-process (the default) or Netty on loopback. */
    public Builder transport(GrpcTransport v) {
      transport = Objects.requireNonNull(v, "transport");
      return this;
    }

    /** An interceptor on every peer channel of every member. None by default. */
    public Builder peerInterceptor(PeerInterceptor v) {
      interceptor = Objects.requireNonNull(v, "peerInterceptor");
      return this;
    }

    /** Whether the members record metrics ({@link KadmeshServer.Builder#metrics}). On by default. */
    public Builder metrics(boolean v) {
      metrics = v;
      return this;
    }

    @Override
    public GrpcMesh start() {
      return new GrpcMesh(this).startMembers(size);
    }
  }
}
