package io.kadmesh.core.node;

import io.kadmesh.core.AddressResolver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.PeerTransport.Subscription;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.lookup.LookupResult;
import io.kadmesh.core.routing.BucketSummary;
import io.kadmesh.core.routing.ContactView;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.routing.SubnetDiversity;
import io.kadmesh.core.storage.ContactStore;
import io.kadmesh.core.storage.InMemoryContactStore;
import io.kadmesh.core.storage.ReadStats;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.StoredKey;
import io.kadmesh.core.watch.Subscriptions;
import io.kadmesh.core.watch.WatchListener;
import io.kadmesh.core.watch.Watches;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kademlia node: composes the routing table, lookups and the record store, answers peers'
 * requests and runs the application's reads and writes ({@link RecordReads}, {@link
 * RecordWrites}). Thread-safe. Knows nothing of gRPC.
 *
 * <p>Keeps records alive through churn with the paper's upkeep (§2.5, §4): periodic republish
 * ({@link Republisher}), hand-off of records to newcomers ({@link HandOff}), a graceful
 * {@link #leave}, and read repair after a Get ({@link ReadRepair}). Stays part of its network
 * through restarts and partitions ({@link Membership}, {@link ContactSaver}).
 *
 * <p>Implementation notes: no caching of values along the lookup path (§2.3); the original
 * publisher does not republish on its own 24-hour cycle (§2.5): every holder republishes each
 * {@code republishInterval} instead, and records keep the expiry their writer gave them.
 */
public final class KademliaNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KademliaNode.class);

  private final NodeConfig config;
  private final Contact self;
  private final RecordStore store;
  private final Scheduler scheduler;
  private final Random random;
  private final PeerTransport transport;
  private final RoutingTable table;
  private final VersionClock clock;
  private final Limits limits;
  private final ContactLiveness liveness;
  private final Lookups lookups;
  private final ReplicaWriter writer;
  private final RecordReads reads;
  private final RecordWrites writes;
  private final EndpointReads endpoints;
  private final Republisher republisher;
  private final HandOff handOff;
  private final ReadRepair readRepair;
  private final NodeMetrics metrics;
  private final Placement placement;
  private final Membership membership;
  private final ContactSaver contactSaver;
  private final SparseTableRefresh sparseTableRefresh;
  private final Subscriptions subscriptions;
  private final Watches watches;
  private final ReadStats readStats = new ReadStats();
  private volatile Runnable statusListener = () -> {};
  private final PeriodicTask refreshTask;
  private final PeriodicTask purgeTask;
  private volatile boolean joined;
  private final SeedPings seedPings;
  private volatile AddressResolver addressResolver = AddressResolver.IDENTITY;

  /** A node that keeps its contacts in memory only (tests, the simulator). */
  public KademliaNode(NodeConfig config, Contact self, PeerTransport transport, RecordStore store,
      Scheduler scheduler, Random random) {
    this(config, self, transport, store, new InMemoryContactStore(), scheduler, random);
  }

  public KademliaNode(NodeConfig config, Contact self, PeerTransport transport, RecordStore store,
      ContactStore contactStore, Scheduler scheduler, Random random) {
    this(config, self, transport, store, contactStore, scheduler, random, NodeMetrics.NONE);
  }

  /** A node that reports the work it does to {@code metrics}. */
  public KademliaNode(NodeConfig config, Contact self, PeerTransport transport, RecordStore store,
      ContactStore contactStore, Scheduler scheduler, Random random, NodeMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.config = Objects.requireNonNull(config, "config");
    this.self = Objects.requireNonNull(self, "self");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.store = Objects.requireNonNull(store, "store");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.random = Objects.requireNonNull(random, "random");
    this.table = new RoutingTable(self.id(), config.k(), config.replacementCacheSize(),
        config.maxFailures(), config.contactFreshness(), new SubnetDiversity(
            config.subnetBucketLimit(), config.subnetTableLimit(), config.exemptLoopback(),
            config.exemptPrivate()),
        scheduler.now());
    table.setRemovalListener(this::contactRemoved);
    this.clock = new VersionClock(self.id(), scheduler);
    this.limits = new Limits(config);
    this.subscriptions = new Subscriptions(config.watch(), self, transport, scheduler,
        config.rpcTimeout(), metrics);
    this.placement = new Placement(config, self.id(), table, store, subscriptions::changed);
    this.liveness = new ContactLiveness(table, transport, scheduler, config.rpcTimeout(),
        this::contactAdded, c -> membership().contactFailed());
    this.lookups = new Lookups(config, self.id(), table, transport, scheduler, liveness, limits,
        metrics);
    this.writer = new ReplicaWriter(config, self, transport, scheduler, liveness,
        this::storeAsReplica, limits, clock);
    this.republisher = new Republisher(config, store, scheduler, random, lookups, writer, limits,
        metrics);
    this.handOff = new HandOff(config, self, table, store, scheduler, writer, limits, metrics);
    this.readRepair = new ReadRepair(config, self, scheduler, writer, metrics);
    this.contactSaver = new ContactSaver(table, Objects.requireNonNull(contactStore, "contactStore"),
        scheduler, config.contactSaveDelay());
    this.seedPings = new SeedPings(self, transport, address -> addressResolver.resolve(address),
        scheduler, config.rpcTimeout());
    this.membership = new Membership(config, self, table, transport, contactStore, scheduler,
        liveness, seedPings, this::joinThrough, () -> statusListener.run());
    this.reads = new RecordReads(config, self.id(), scheduler, clock, limits, store, readStats,
        table, membership, lookups, readRepair);
    this.writes = new RecordWrites(config, scheduler, clock, limits, table, membership, lookups,
        writer, reads);
    this.endpoints = new EndpointReads(config, self, scheduler, limits, store, readStats, table,
        membership, lookups, writer, metrics);
    this.watches = new Watches(config.watch(), self, config.k(), transport, scheduler,
        config.rpcTimeout(),
        key -> lookups.findNode(key, deadline(null)).thenApply(LookupResult::closest),
        limits::checkIncoming, subscriptions,
        this::heldRecords, metrics);
    this.sparseTableRefresh = new SparseTableRefresh(scheduler, table, config.k(),
        () -> joinThrough(List.of()));
    // Checked a few times per interval, so that a bucket is refreshed soon after it went idle.
    Duration refreshCheck = max(config.bucketRefreshInterval().dividedBy(4), Duration.ofSeconds(1));
    this.refreshTask = new PeriodicTask(scheduler, refreshCheck, "bucket refresh", this::refreshIdleBuckets);
    this.purgeTask = new PeriodicTask(scheduler, config.expiryInterval(), "expiry purge",
        () -> scheduler.executeBlocking(() -> {
          store.purgeExpired(scheduler.now());
          // Here, so that the read counts never outnumber the records held for long.
          readStats.prune(store, scheduler.now());
        }));
  }

  public Contact self() {
    return self;
  }

  public NodeConfig config() {
    return config;
  }

  public RecordStore store() {
    return store;
  }

  /** The routing table, read-only use intended (tests, diagnostics). */
  public RoutingTable routingTable() {
    return table;
  }

  /** Schedules the maintenance jobs (bucket refresh, expiry purge, republish). Idempotent. */
  public void start() {
    refreshTask.start();
    purgeTask.start();
    republisher.start();
  }

  /**
   * Joins the network through {@code bootstrap}, or when it is empty through the bootstrap
   * addresses a former run kept, and through the contacts it saved; keeps them for later runs;
   * then keeps the node part of its network for as long as it runs ({@link Membership}), and
   * its table filled while it holds fewer than k live contacts ({@link SparseTableRefresh}).
   * Completes once the first join is done, whether or not a peer answered.
   */
  public CompletableFuture<Void> connect(List<String> bootstrap) {
    return membership.start(List.copyOf(bootstrap))
        .whenComplete((v, e) -> sparseTableRefresh.start());
  }

  /**
   * Whether the node can serve: it knows a live contact, or it was started alone on purpose
   * (see {@link #connect}), or nobody called connect (a node joined by hand).
   */
  public boolean isServing() {
    return membership.isServing();
  }

  /** Told (on any thread) whenever {@link #isServing()} may have changed. */
  public void setStatusListener(Runnable listener) {
    this.statusListener = Objects.requireNonNull(listener, "listener");
  }

  /**
   * How bootstrap addresses are resolved into the peer addresses they stand for (the server: DNS,
   * every address of a name); set before {@link #connect}. Default: each stands for itself.
   */
  public void setAddressResolver(AddressResolver resolver) {
    this.addressResolver = Objects.requireNonNull(resolver, "resolver");
  }

  /** Saves the routing table's contacts now (the node is stopping); an empty table saves nothing. */
  public void saveContacts() {
    contactSaver.saveNow();
  }

  /**
   * Joins the network through these peer addresses (paper §2.3): pings them, looks up its own ID,
   * then refreshes the buckets further away. Completes when done; completes normally even when no
   * bootstrap answered (the node then runs alone and {@link #isJoined()} stays false until a peer
   * contacts it or a later refresh reaches one). An empty list means "run alone".
   */
  public CompletableFuture<Void> join(List<String> bootstrapAddresses) {
    if (bootstrapAddresses.isEmpty()) {
      joined = true;
      return CompletableFuture.completedFuture(null);
    }
    return joinThrough(bootstrapAddresses);
  }

  /**
   * Pings {@code addresses} (none: only the contacts the table holds), and when the node then
   * knows a live contact, looks up its own ID and refreshes the farther buckets.
   */
  private CompletableFuture<Void> joinThrough(List<String> addresses) {
    if (addresses.isEmpty()) {
      return table.liveSize() == 0 ? CompletableFuture.completedFuture(null) : lookupSelfAndRefresh();
    }
    // Each address stands for every node its name resolves to (a headless service: all its pods).
    List<CompletableFuture<List<String>>> resolved = new ArrayList<>();
    for (String address : addresses) {
      resolved.add(seedPings.addresses(address));
    }
    return CompletableFuture.allOf(resolved.toArray(CompletableFuture[]::new)).thenCompose(v -> {
      Set<String> all = new LinkedHashSet<>();
      for (CompletableFuture<List<String>> r : resolved) {
        all.addAll(r.join());
      }
      return seedPings.pingEach(List.copyOf(all));
    }).thenCompose(reached -> {
      reached.answered().forEach(liveness::reached);
      if (reached.answered().isEmpty()) {
        log.warn("no peer of {} answered", addresses);
        return CompletableFuture.completedFuture(null);
      }
      return lookupSelfAndRefresh();
    });
  }

  private CompletableFuture<Void> lookupSelfAndRefresh() {
    return lookups.findNode(self.id(), deadline(null))
        .handle((r, e) -> null)
        .thenCompose(ignored -> refreshBucketsBeyondClosestNeighbour());
  }

  /** True once the node knows at least one other live contact, or was told to run alone. */
  public boolean isJoined() {
    return joined;
  }

  /**
   * Leaves the network gracefully: stops republishing and hand-offs, then stores every record it
   * holds (tombstones too) on the k closest other nodes for its key, found by a lookup as a Put
   * does, so that k live replicas remain once this node is gone rather than waiting for the others'
   * republish (§2.5) to notice. Completes when every record was tried; fails with DEADLINE_EXCEEDED
   * when {@code timeout} (null: the operation timeout) cut it short. Keeps answering peers
   * meanwhile; does not close the node: call {@link #close()} after. The server calls it on SIGTERM.
   */
  public CompletableFuture<Void> leave(Duration timeout) {
    Duration limit = timeout == null ? config.operationTimeout() : timeout;
    republisher.stop();
    handOff.stop();
    long held = store.recordCount();
    Instant deadline = scheduler.now().plus(limit);
    CompletableFuture<Void> out = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(limit, () -> out.completeExceptionally(
        DhtException.deadlineExceeded("leave: the timeout of " + limit + " passed before all "
            + held + " records were handed over")));
    // A page at a time, off the scheduler's thread: the whole store never sits in heap.
    republisher.handOver(deadline).whenComplete((kept, e) -> {
      timer.cancel();
      log.info("leaving: {} of {} records handed over to other nodes", kept, held);
      out.complete(null);
    });
    return out;
  }

  /**
   * Stores every record held on the k closest other nodes now, as {@link #leave} does (and stops
   * republishing and hand-offs to newcomers likewise), but reports what it did instead of failing
   * at the timeout: completes, never exceptionally, once every record was tried or {@code timeout}
   * (null: the operation timeout) passed. The node keeps answering peers and reads. A drain
   * ({@code Admin.Drain}) calls it; calling it again hands off what is held then.
   */
  public CompletableFuture<HandOverReport> handOverAll(Duration timeout) {
    Duration limit = timeout == null ? config.operationTimeout() : timeout;
    republisher.stop();
    handOff.stop();
    long held = store.recordCount();
    Instant deadline = scheduler.now().plus(limit);
    return republisher.handOver(deadline).handle((kept, e) -> {
      if (e != null) log.warn("hand-off failed", e);
      boolean timedOut = !scheduler.now().isBefore(deadline);
      long handedOff = kept == null ? 0 : kept;
      log.info("drain: {} of {} records handed over to other nodes{}", handedOff, held,
          timedOut ? " before the timeout of " + limit + " passed" : "");
      return new HandOverReport(held, handedOff, timedOut);
    });
  }

  /** Cancels maintenance and in-flight lookups. Does not close the store: its owner does. */
  @Override
  public void close() {
    membership.stop();
    sparseTableRefresh.stop();
    contactSaver.stop();
    refreshTask.stop();
    purgeTask.stop();
    republisher.stop();
    handOff.stop();
    watches.close();
    lookups.close();
  }

  // ---- requests from peers (the peer service validated them) ----------------------------------

  /**
   * PING. {@code sender} is null for callers that are not nodes. The sender's claim is checked
   * before it enters the routing table ({@link ContactLiveness#claimed}).
   */
  public void handlePing(Contact sender) {
    if (sender != null && !sender.id().equals(self.id())) {
      liveness.claimed(sender, true);
    }
  }

  /** FIND_NODE: up to k contacts closest to {@code target}, never the sender. */
  public List<Contact> handleFindNode(Contact sender, NodeId target) {
    heardFrom(sender);
    return closestExcluding(target, sender);
  }

  /**
   * FIND_VALUE: the record of {@code kind} held for {@code key} (closest left empty), or else the
   * k closest contacts; a record of another kind under the key is never the answer. For
   * {@link RecordKind#ENDPOINT}: every entry held (tombstones included, at most
   * {@code --max-service-entries}) and the k closest contacts.
   */
  public FoundValue handleFindValue(Contact sender, NodeId key, RecordKind kind) {
    heardFrom(sender);
    if (kind == RecordKind.ENDPOINT) {
      // A set is spread over the replicas: the closest come along so that the lookup goes on.
      return new FoundValue(null, closestExcluding(key, sender), endpoints.held(key));
    }
    Optional<ValueRecord> held = reads.held(key, kind);
    if (held.isPresent()) {
      return new FoundValue(held.get(), List.of());
    }
    return new FoundValue(null, closestExcluding(key, sender));
  }

  /**
   * STORE: stored when this node now holds the record's version; not stored, with the newer
   * version it holds (for a signed record, its seq), when it holds a newer one; not stored, with
   * none, when the record has already expired; each with the k contacts closest to the key, as
   * FIND_NODE (so that the STORE doubles as the writer's last lookup round). Throws {@link DhtException} RESOURCE_EXHAUSTED for
   * a value over the limit, a full store, a sender over its quota or a key this node is far from
   * ({@link Placement}), INVALID_ARGUMENT for an expiry beyond the maximum TTL or a record whose
   * proof fails (a signature that does not verify, a key that is not its content's hash).
   */
  public StoreResult handleStore(Contact sender, ValueRecord record) {
    heardFrom(sender);
    try {
      limits.checkIncoming(record, scheduler.now());
    } catch (DhtException e) {
      metrics.storeRefused(e.reason() == DhtException.Reason.RESOURCE_EXHAUSTED
          ? NodeMetrics.StoreRefusal.TOO_LARGE : NodeMetrics.StoreRefusal.INVALID);
      throw e;
    }
    NodeId placer = sender == null ? Placement.ANONYMOUS : sender.id();
    try {
      placement.requireAmongClosest(record.key(), placer);
    } catch (DhtException e) {
      metrics.storeRefused(NodeMetrics.StoreRefusal.FAR_KEY);
      throw e;
    }
    StoreResult result = storeLocally(record, placer, metrics);
    if (result.stored() && sender != null && !sender.id().equals(self.id())) {
      republisher.storedByPeer(StoredKey.of(record));
    }
    return result.withCloser(closestExcluding(record.key(), sender));
  }

  /**
   * SUBSCRIBE: keeps {@code sender} notified of changes to this node's {@code kind} records under
   * {@code key} until the answer's expiry, and answers the records held now. Throws {@link
   * DhtException} INVALID_ARGUMENT for a missing sender or a TTL that is not positive,
   * RESOURCE_EXHAUSTED when the subscription limits are reached.
   */
  public Subscription handleSubscribe(Contact sender, NodeId key, RecordKind kind, Duration ttl) {
    if (sender == null) {
      throw DhtException.invalid("header.sender is required: notifications go to its address");
    }
    heardFrom(sender);
    Instant expiresAt = subscriptions.subscribe(sender, key, kind, ttl, scheduler.now());
    return new Subscription(expiresAt, heldRecords(key, kind));
  }

  /**
   * The records of {@code kind} this node holds for {@code key} that pass the record gate, as a
   * Subscribe answers them: one at most, or a service's whole set of endpoint entries.
   */
  private List<ValueRecord> heldRecords(NodeId key, RecordKind kind) {
    if (kind == RecordKind.ENDPOINT) {
      return endpoints.held(key);
    }
    return reads.held(key, kind).map(List::of).orElse(List.of());
  }

  /**
   * NOTIFY: takes a replica's changed records into this node's watch of the key (each through the
   * record gate); answers false when this node holds no subscription with {@code sender} for it.
   */
  public boolean handleNotify(Contact sender, NodeId key, RecordKind kind,
      List<ValueRecord> records) {
    heardFrom(sender);
    return watches.handleNotify(sender, key, kind, records);
  }

  // ---- the application's operations -----------------------------------------------------------

  /**
   * The DHT key of an application key: SHA-256 of its UTF-8 bytes. Throws {@link DhtException}
   * INVALID_ARGUMENT for an empty key or one over the key limit.
   */
  public NodeId keyOf(String applicationKey) {
    return limits.key(Objects.requireNonNull(applicationKey, "applicationKey"));
  }

  /**
   * The DHT key of a signed record: SHA-256(public key ‖ UTF-8 name). Throws {@link DhtException}
   * INVALID_ARGUMENT naming {@code public_key} or {@code name} unless the public key is 32 bytes
   * and the name 1 to maxKeyBytes bytes.
   */
  public NodeId signedKeyOf(byte[] publicKey, String name) {
    return limits.signedKey(Objects.requireNonNull(publicKey, "publicKey"),
        Objects.requireNonNull(name, "name"), "");
  }

  /** The DHT key of a content record: SHA-256 of its value, the key {@link #putContent} writes. */
  public NodeId contentKeyOf(byte[] value) {
    return Limits.contentKey(Objects.requireNonNull(value, "value"));
  }

  /**
   * Stores {@code value} on the k closest live nodes to {@code key} (this node included when it is
   * among them). {@code ttl} null means the default; {@code timeout} null means the configured
   * operation timeout. Fails with DhtException: INVALID_ARGUMENT (bad TTL), RESOURCE_EXHAUSTED
   * (value too large), UNAVAILABLE (no node kept it), CONFLICT (short of the quorum because
   * replicas hold a newer version: a retry wins), DEADLINE_EXCEEDED.
   */
  public CompletableFuture<WriteResult> put(NodeId key, byte[] value, Duration ttl, Duration timeout) {
    return writes.put(key, value, ttl, deadline(timeout));
  }

  /**
   * Stores an owner's signed record (a value or a signed tombstone) on the k closest live nodes to
   * its key, after checking it as every replica will: INVALID_ARGUMENT names what is wrong (the
   * expiry, the public key, the name, the seq, the signature). With {@code expectedSeq} (null:
   * none), first reads the newest record of the key as {@link #get} does and fails with
   * SEQ_MISMATCH, writing nothing, unless its seq (0: none found) is the one expected. The check
   * and the write are not one atomic step across replicas: two writers that both expected the
   * same seq may both pass it; their records then order by seq, and equal seqs by signature, the
   * same way on every replica. Fails otherwise as {@link #put} does, CONFLICT meaning that replicas
   * hold a seq as high or higher.
   */
  public CompletableFuture<WriteResult> putSigned(ValueRecord signed, Long expectedSeq,
      Duration timeout) {
    return writes.putSigned(signed, expectedSeq, deadline(timeout));
  }

  /**
   * Stores an immutable value under SHA-256 of its bytes ({@link WriteResult#version()} is this
   * node's version of it, {@code expiresAt} now + ttl); putting the same value again writes a newer
   * version with the new expiry, which is how a value is kept alive. Fails as {@link #put} does.
   */
  public CompletableFuture<WriteResult> putContent(byte[] value, Duration ttl, Duration timeout) {
    return writes.putContent(value, ttl, deadline(timeout));
  }

  /** The newest plain record the lookup finds ({@link #get(NodeId, RecordKind, Duration)}). */
  public CompletableFuture<Optional<ValueRecord>> get(NodeId key, Duration timeout) {
    return get(key, RecordKind.PLAIN, timeout);
  }

  /**
   * The newest record of {@code kind} the lookup finds for {@code key}, tombstones included;
   * empty when none is found. Records of other kinds under the key are never read, and every
   * record returned passed the record gate (a signed one its signature check).
   */
  public CompletableFuture<Optional<ValueRecord>> get(NodeId key, RecordKind kind,
      Duration timeout) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    return reads.newest(key, kind, config.getQuorum(), deadline(timeout));
  }

  /**
   * As {@link #get(NodeId, RecordKind, Duration)}, waiting for {@code quorum} replicas' answers
   * instead of the node's Get quorum: 0 means the node's ({@code getQuorum}), 1 to k that many,
   * this node's own copy counting as one when it is among the closest (so a quorum of 1 and a
   * copy held there answers without asking any peer). The answer is the newest version among
   * those answers: a smaller quorum reads faster and may miss a write fewer replicas kept yet.
   * Throws {@link DhtException} INVALID_ARGUMENT naming {@code quorum} outside 0 to k.
   */
  public CompletableFuture<Optional<ValueRecord>> get(NodeId key, RecordKind kind, int quorum,
      Duration timeout) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    if (quorum < 0 || quorum > config.k()) {
      throw DhtException.invalid("quorum must be 0 (the node's Get quorum, "
          + config.getQuorum() + ") to k = " + config.k() + " replicas, was "
          + Integer.toUnsignedString(quorum));
    }
    return reads.newest(key, kind, quorum == 0 ? config.getQuorum() : quorum, deadline(timeout));
  }

  /**
   * The DHT key of a service's endpoint entries, SHA-256("kadmesh-service-v1:" ‖ UTF-8 name).
   * Throws {@link DhtException} INVALID_ARGUMENT naming {@code service} unless it is 1 to 256
   * bytes.
   */
  public NodeId serviceKeyOf(String service) {
    return limits.serviceKey(Objects.requireNonNull(service, "service"));
  }

  /**
   * Stores an announcer's signed endpoint entry (live or withdrawn, e.g. made by
   * {@link io.kadmesh.core.EndpointRecords#sign}) on the k closest live nodes to its service's key,
   * after checking it as every replica will: INVALID_ARGUMENT names what is wrong (the expiry, the
   * entry, its service key, the address the signature names, the signature). Each replica keeps
   * one entry per announcer key and address, the highest seq, and refuses a new one beyond its
   * per-service quotas (RESOURCE_EXHAUSTED). Fails otherwise as {@link #putSigned} does.
   */
  public CompletableFuture<WriteResult> putEndpoint(ValueRecord signedEntry, Duration timeout) {
    return writes.putEndpoint(signedEntry, deadline(timeout));
  }

  /**
   * The endpoint entries under {@code serviceKey}: the union of the entries the first N of the
   * closest replicas hold, N being the Get quorum ({@code getQuorum}; this node counts as one when
   * it is among the closest and holds entries), the lookup stopping once those answered and every
   * closer contact answered or stalled, as a Get does; the union of
   * what all of the k closest hold when fewer answer with entries. This node's own entries are
   * always merged in. The newest state of each entry (per announcer key and address),
   * withdrawn ones (tombstones) included, for the caller to filter, expired ones left out; in
   * {@link StoredKey} order (announcer key, then address). Every entry passed the record gate.
   * Fails UNAVAILABLE when no peer answered and this node holds none, DEADLINE_EXCEEDED.
   */
  public CompletableFuture<List<ValueRecord>> resolve(NodeId serviceKey, Duration timeout) {
    return endpoints.resolve(Objects.requireNonNull(serviceKey, "serviceKey"), deadline(timeout));
  }

  /**
   * Watches {@code key}'s records of {@code kind}: {@code listener} hears the state, SYNCED, then
   * every change, as the key's replicas notify this node (see {@link Watches}); closing the handle
   * stops it. Per key (and per endpoint), versions only grow; changes close together may coalesce
   * into the newest; a possible gap is announced by RESYNC, the whole state, then SYNCED.
   */
  public AutoCloseable watch(NodeId key, RecordKind kind, WatchListener listener) {
    return watches.watch(Objects.requireNonNull(key, "key"), Objects.requireNonNull(kind, "kind"),
        Objects.requireNonNull(listener, "listener"));
  }

  /** Writes a tombstone to the k closest live nodes; fails as {@link #put} does. */
  public CompletableFuture<WriteResult> delete(NodeId key, Duration timeout) {
    return writes.delete(key, deadline(timeout));
  }

  // ---- introspection ----------------------------------------------------------------------------

  /** Every contact in the routing table. */
  public List<Contact> contacts() {
    return table.contacts();
  }

  /** The non-empty buckets, by index (shared prefix length with this node's ID). */
  public List<BucketStats> bucketStats() {
    List<BucketStats> out = new ArrayList<>();
    for (BucketSummary s : table.summaries()) {
      out.add(new BucketStats(s.index(), s.contacts(), s.replacements()));
    }
    return out;
  }

  /** Subscriptions other nodes (and this one) hold with this node as a replica of a watched key. */
  public int watchSubscriptions() {
    return subscriptions.size();
  }

  /** The routing table as operators see it: every contact and cached newcomer, by bucket. */
  public List<ContactView> contactViews() {
    return table.views();
  }

  /**
   * A page of the records held that have not expired, tombstones included, with how often each
   * was served: at most {@code limit} (at least 1) records above {@code after} (null: from the
   * first) in ascending {@link StoredKey} order. Following {@link InventoryPage#next} from null
   * until it is null visits every record held throughout exactly once, whatever is written
   * meanwhile, since each page starts strictly after the last key of the one before.
   */
  public InventoryPage inventory(StoredKey after, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be at least 1: " + limit);
    Instant now = scheduler.now();
    long total = store.recordCount();
    // One more than asked tells whether a next page exists without an empty last page.
    List<ValueRecord> page = store.scan(after, limit + 1, now);
    boolean more = page.size() > limit;
    List<ValueRecord> shown = more ? page.subList(0, limit) : page;
    List<HeldRecord> out = new ArrayList<>(shown.size());
    for (ValueRecord r : shown) {
      out.add(new HeldRecord(r, readStats.of(StoredKey.of(r))));
    }
    StoredKey next = more ? StoredKey.of(shown.get(shown.size() - 1)) : null;
    return new InventoryPage(out, next, total);
  }

  /** When and how often this node served each record it holds (in memory, since it started). */
  public ReadStats readStats() {
    return readStats;
  }

  // ---- internals --------------------------------------------------------------------------------

  /**
   * The replicas a Put or Delete needs now: the configured quorum, or 1 for a node alone on
   * purpose that still knows no other node.
   */
  public int writeQuorum() {
    return writes.quorum();
  }

  /**
   * A record this node writes to itself as one of the replicas. Its own new write (known by the
   * call path, never by a record's writer field, which a peer may forge) skips the record gate's
   * limits, which its own clock and TTL checks already keep, but not the proof of a signed or
   * content record; anything else (republish, read repair) passes the gate like a peer's STORE.
   */
  private StoreResult storeAsReplica(ValueRecord record, boolean ownWrite) {
    if (ownWrite) {
      limits.checkProof(record, "record.");
    } else {
      limits.checkIncoming(record, scheduler.now());
    }
    return storeLocally(record, null, NodeMetrics.NONE);
  }

  /** {@code placer}: the peer whose STORE brought the record, null for this node's own write. */
  private StoreResult storeLocally(ValueRecord record, NodeId placer, NodeMetrics refusals) {
    Instant now = scheduler.now();
    if (record.isExpiredAt(now)) return StoreResult.notStored(null);
    if (placement.put(record, placer, now, refusals)) {
      clock.observe(record);
      return StoreResult.STORED;
    }
    // Refused as stale: the record held now is the one it lost to (a racing newer write may
    // have replaced it since, which is newer still).
    Optional<ValueRecord> winner = heldAt(StoredKey.of(record), now)
        .filter(held -> held.version().isNewerThan(record.version()));
    if (ValueRecord.isSignedKind(record.kind())) {
      return winner.map(held -> StoreResult.signedHeld(held.signature().seq()))
          .orElse(StoreResult.notStored(null));
    }
    return StoreResult.notStored(winner.map(ValueRecord::version).orElse(null));
  }

  /** The record held at {@code at}: an endpoint entry is one of its service's set. */
  private Optional<ValueRecord> heldAt(StoredKey at, Instant now) {
    if (at.kind() != RecordKind.ENDPOINT) return store.get(at.key(), at.kind(), now);
    return store.getAll(at.key(), at.kind(), now).stream()
        .filter(r -> StoredKey.of(r).equals(at)).findFirst();
  }

  /** A contact entered the routing table: the node is joined, and the newcomer gets its records. */
  private void contactAdded(Contact contact) {
    joined = true;
    membership.contactAdded(contact);
    sparseTableRefresh.contactAdded();
    contactSaver.changed();
    handOff.newContact(contact);
  }

  private void contactRemoved(Contact contact) {
    transport.forget(contact.address());
    membership.contactRemoved(contact);
    contactSaver.changed();
  }

  /** The membership, once constructed (callbacks may fire only after the constructor). */
  private Membership membership() {
    return membership;
  }

  /** A request's sender is a claim: checked by a ping before it enters the routing table. */
  private void heardFrom(Contact sender) {
    if (sender != null && !sender.id().equals(self.id())) {
      liveness.claimed(sender, false);
    }
  }

  private List<Contact> closestExcluding(NodeId target, Contact sender) {
    List<Contact> closest = table.closest(target, config.k() + 1);
    if (sender != null) {
      closest.removeIf(c -> c.id().equals(sender.id()));
    }
    return closest.size() > config.k() ? closest.subList(0, config.k()) : closest;
  }

  private CompletableFuture<Void> refreshBucketsBeyondClosestNeighbour() {
    int closest = table.highestNonEmptyBucket();
    List<CompletableFuture<?>> refreshes = new ArrayList<>();
    for (int i = 0; i < closest; i++) {
      refreshes.add(refreshBucket(i));
    }
    return CompletableFuture.allOf(refreshes.toArray(CompletableFuture[]::new));
  }

  private void refreshIdleBuckets() {
    for (int index : table.bucketsIdleSince(scheduler.now(), config.bucketRefreshInterval())) {
      refreshBucket(index);
    }
  }

  /** A lookup for a random ID in bucket {@code index}'s range (paper §2.3); failures ignored. */
  private CompletableFuture<Void> refreshBucket(int index) {
    NodeId target = self.id().randomWithPrefix(index, random);
    return lookups.findNode(target, deadline(null)).handle((r, e) -> null);
  }

  private Instant deadline(Duration timeout) {
    return scheduler.now().plus(timeout == null ? config.operationTimeout() : timeout);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
