package io.kadmesh.testing;

import com.google.protobuf.ByteString;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryContactStore;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Unmodified {@link KademliaNode}s over the {@link InMemoryNetwork} on a {@link VirtualScheduler}:
 * no sockets, no threads, deterministic for a seed. Time moves only while the mesh waits (an
 * operation, {@link #awaitUntil}, {@link #advance}); the network's faults (latency, loss, silent
 * or refusing nodes, partitions) are the test's to set through {@link #network()}.
 *
 * <p>Member {@code i} is reachable at {@code node<i>:4000}. With {@link Builder#prefilledTables()}
 * the members do not join: their routing tables are filled from the sorted ID list as a
 * long-running network would have them (see {@link TablePrefill}), so that 100,000 nodes build in
 * seconds; members are then numbered in ID order, and added ones join through the real protocol.
 */
public final class SimulatedMesh implements Mesh {
  /** The longest an awaited operation may take on virtual time: the core times out long before. */
  private static final Duration AWAIT_LIMIT = Duration.ofMinutes(5);

  /** Wraps each node's transport, to watch or change what it sends (the simulator's tracing). */
  @FunctionalInterface
  public interface TransportDecorator {
    PeerTransport decorate(Contact self, PeerTransport transport);
  }

  private final NodeConfig config;
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final InMemoryNetwork network;
  private final Random random;
  private final TransportDecorator decorator;
  private final boolean maintenance;
  private final JoinVia joinVia;
  private final boolean connecting;
  private final List<KademliaNode> nodes = new ArrayList<>();
  /** What each member keeps across a {@link #restart}: its records and its saved contacts. */
  private final List<RecordStore> stores = new ArrayList<>();
  private final List<InMemoryContactStore> contactStores = new ArrayList<>();
  /** Running members in ascending order: random choices among them must be cheap at 100,000. */
  private final List<Integer> running = new ArrayList<>();
  private final BitSet gone = new BitSet();
  private Instant started;

  private SimulatedMesh(Builder b) {
    this.config = b.meshConfig();
    this.random = new Random(b.seed);
    this.network = new InMemoryNetwork(scheduler, new Random(b.seed + 1));
    network.setLatency(b.latency);
    network.setDropRate(b.loss);
    this.decorator = b.decorator;
    this.maintenance = b.maintenance;
    this.joinVia = b.joinVia;
    this.connecting = b.connecting;
  }

  /** Member 0 runs alone, the others join one at a time; or the tables are prefilled. */
  private SimulatedMesh startMembers(int size, boolean prefilledTables) {
    if (prefilledTables) {
      prefilled(size);
    } else {
      for (int i = 0; i < size; i++) {
        if (i == 0) {
          await(join(startMember(addMember(NodeId.random(random))), List.of()));
        } else {
          add();
        }
      }
    }
    started = scheduler.now();
    return this;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public int size() {
    return nodes.size();
  }

  @Override
  public KademliaNode node(int i) {
    return nodes.get(i);
  }

  @Override
  public boolean isRunning(int i) {
    Objects.checkIndex(i, nodes.size());
    return !gone.get(i);
  }

  @Override
  public List<Integer> running() {
    return Collections.unmodifiableList(running);
  }

  @Override
  public NodeConfig config() {
    return config;
  }

  @Override
  public WriteAck put(int i, String key, byte[] value, Duration ttl) {
    KademliaNode node = runningNode(i);
    var w = await(node.put(node.keyOf(key), value, ttl, null));
    return new WriteAck(w.replicas(), w.version());
  }

  @Override
  public Optional<Found> get(int i, String key) {
    KademliaNode node = runningNode(i);
    Optional<ValueRecord> r = await(node.get(node.keyOf(key), null));
    return r.filter(v -> !v.isTombstone()).map(v -> new Found(ByteString.copyFrom(v.valueUnsafe()), v.version()));
  }

  @Override
  public WriteAck delete(int i, String key) {
    KademliaNode node = runningNode(i);
    var w = await(node.delete(node.keyOf(key), null));
    return new WriteAck(w.replicas(), w.version());
  }

  @Override
  public void crash(int i) {
    if (markGone(i)) {
      network.down(address(i), InMemoryNetwork.Failure.SILENT);
      nodes.get(i).close();
    }
  }

  @Override
  public void stop(int i) {
    if (isRunning(i)) {
      await(leave(i, config.operationTimeout()));
    }
  }

  @Override
  public int add() {
    if (running.isEmpty()) throw new IllegalStateException("no running member to join through");
    int through = joinVia.choose(running, random);
    int i = addMember(NodeId.random(random));
    await(join(startMember(i), List.of(address(through))));
    return i;
  }

  @Override
  public void awaitUntil(BooleanSupplier condition, Duration limit) {
    if (!scheduler.runUntil(condition, limit)) {
      throw new IllegalStateException("the condition did not hold within " + limit + " of virtual time");
    }
  }

  @Override
  public <T> T await(CompletableFuture<T> future) {
    if (!scheduler.runUntil(future::isDone, AWAIT_LIMIT)) {
      throw new IllegalStateException("not done within " + AWAIT_LIMIT + " of virtual time");
    }
    return Outcomes.value(future);
  }

  @Override
  public InstantSource clock() {
    return scheduler::now;
  }

  @Override
  public Duration elapsed() {
    return Duration.between(started, scheduler.now());
  }

  @Override
  public void close() {
    for (int i : List.copyOf(running)) crash(i);
  }

  // ---- only on virtual time ----------------------------------------------------------------

  public VirtualScheduler scheduler() {
    return scheduler;
  }

  /** The network, for its faults: latency, loss, {@code down}/{@code up}, partition/heal. */
  public InMemoryNetwork network() {
    return network;
  }

  /** The mesh's seeded randomness (it also draws node IDs): choices made with it replay. */
  public Random random() {
    return random;
  }

  /** Moves virtual time forward by {@code d}, running everything due on the way. */
  public void advance(Duration d) {
    scheduler.advance(d);
  }

  /** A running member chosen with {@link #random()}. */
  public int randomRunning() {
    if (running.isEmpty()) throw new IllegalStateException("no member is running");
    return running.get(random.nextInt(running.size()));
  }

  /** Member {@code i}'s address on the network. */
  public String address(int i) {
    return nodes.get(i).self().address();
  }

  /**
   * A newcomer that starts joining through member {@code through} and is not awaited: for churn
   * scheduled on virtual time, where nothing may wait. Answers its index.
   */
  public int addAsync(int through) {
    String bootstrap = address(through);
    int i = addMember(NodeId.random(random));
    join(startMember(i), List.of(bootstrap));
    return i;
  }

  /**
   * Member {@code i} (crashed first if it still runs) back as a restarted process is: a new
   * member with its ID, address, records and saved contacts, that connects with no bootstrap
   * ({@link KademliaNode#connect}) and is not awaited. Answers the new member's index.
   */
  public int restart(int i) {
    crash(i);
    KademliaNode old = nodes.get(i);
    network.up(old.self().address());
    int j = addMember(old.self(), stores.get(i), contactStores.get(i));
    startMember(j).connect(List.of());
    return j;
  }

  /**
   * A member on the network that has neither started its jobs nor joined, for tests of the join
   * and of the request handlers. Answers its index.
   */
  public int addUnjoined() {
    return addMember(NodeId.random(random));
  }

  /**
   * Member {@code i} leaves gracefully ({@link KademliaNode#leave}), then closes and leaves the
   * network; not awaited. It stops counting as running at once.
   */
  public CompletableFuture<Void> leave(int i, Duration timeout) {
    KademliaNode node = runningNode(i);
    markGone(i);
    return node.leave(timeout).handle((v, e) -> {
      node.close();
      network.unregister(node.self().address());
      return null;
    });
  }

  private void prefilled(int size) {
    NodeId[] ids = new NodeId[size];
    for (int i = 0; i < size; i++) ids[i] = NodeId.random(random);
    Arrays.sort(ids);
    for (NodeId id : ids) addMember(id);
    TablePrefill.fill(nodes, config.k(), scheduler.now(), random);
    if (maintenance) nodes.forEach(KademliaNode::start);
  }

  private int addMember(NodeId id) {
    return addMember(new Contact(id, "node" + nodes.size() + ":4000"),
        new InMemoryRecordStore(config.maxRecords(), config.maxStoredBytes()),
        new InMemoryContactStore());
  }

  private int addMember(Contact self, RecordStore store, InMemoryContactStore contactStore) {
    int i = nodes.size();
    KademliaNode node = new KademliaNode(config, self,
        decorator.decorate(self, network.transportFor(self)), store, contactStore, scheduler,
        new Random(random.nextLong()));
    network.register(node);
    nodes.add(node);
    stores.add(store);
    contactStores.add(contactStore);
    running.add(i);
    return i;
  }

  /** The join, once ({@link KademliaNode#join}), or as a process does ({@link KademliaNode#connect}). */
  private CompletableFuture<Void> join(KademliaNode node, List<String> bootstrap) {
    return connecting ? node.connect(bootstrap) : node.join(bootstrap);
  }

  private KademliaNode startMember(int i) {
    KademliaNode node = nodes.get(i);
    if (maintenance) node.start();
    return node;
  }

  private KademliaNode runningNode(int i) {
    if (!isRunning(i)) throw new IllegalStateException("member " + i + " is not running");
    return nodes.get(i);
  }

  /** Marks member {@code i} as no longer running; false if it was not. */
  private boolean markGone(int i) {
    if (!isRunning(i)) return false;
    gone.set(i);
    running.remove(Collections.binarySearch(running, i));
    return true;
  }

  /** The simulated mesh's options. */
  public static final class Builder extends MeshBuilder<Builder, SimulatedMesh> {
    private Duration latency = Duration.ofMillis(5);
    private double loss;
    private boolean prefilledTables;
    private boolean maintenance = true;
    private TransportDecorator decorator = (self, transport) -> transport;
    private boolean connecting;

    private Builder() {}

    /** One-way delay of every message. Default 5 ms. */
    public Builder latency(Duration v) {
      if (v.isNegative()) throw new IllegalArgumentException("latency must not be negative: " + v);
      latency = v;
      return this;
    }

    /** Fraction of messages lost, in [0, 1]. Default 0. */
    public Builder loss(double v) {
      if (v < 0 || v > 1) throw new IllegalArgumentException("loss must be in [0, 1]: " + v);
      loss = v;
      return this;
    }

    /** Routing tables filled from the sorted ID list instead of the members joining. */
    public Builder prefilledTables() {
      prefilledTables = true;
      return this;
    }

    /**
     * Whether members start their jobs (bucket refresh, expiry purge, republish). Default true;
     * the simulator turns them off, as an hour of virtual time does not reach them.
     */
    public Builder maintenance(boolean v) {
      maintenance = v;
      return this;
    }

    /**
     * Members join as a {@code kadmesh node} process does ({@link KademliaNode#connect}: keeps
     * rejoining while it knows no live peer, saves its contacts) rather than once
     * ({@link KademliaNode#join}).
     */
    public Builder connecting() {
      connecting = true;
      return this;
    }

    /** Wraps every member's transport. */
    public Builder transport(TransportDecorator v) {
      decorator = Objects.requireNonNull(v, "transport");
      return this;
    }

    @Override
    public SimulatedMesh start() {
      return new SimulatedMesh(this).startMembers(size, prefilledTables);
    }

    /** Zero is allowed here: members then come from {@link SimulatedMesh#addUnjoined()}. */
    @Override
    int minimumSize() {
      return 0;
    }
  }
}
