package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.lookup.Lookup;
import io.kadmesh.core.lookup.LookupResult;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts this node's lookups from its routing table's closest contacts, marks the target's bucket
 * fresh (paper §2.3), and keeps the running ones so that closing the node abandons them.
 */
final class Lookups {
  private final NodeConfig config;
  private final NodeId self;
  private final RoutingTable table;
  private final PeerTransport transport;
  private final Scheduler scheduler;
  private final Limits limits;
  private final Lookup.Settings settings;
  private final NodeMetrics metrics;
  private final Set<Lookup> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  Lookups(NodeConfig config, NodeId self, RoutingTable table, PeerTransport transport,
      Scheduler scheduler, ContactLiveness liveness, Limits limits, NodeMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.self = self;
    this.table = table;
    this.transport = transport;
    this.scheduler = scheduler;
    this.limits = limits;
    this.settings = new Lookup.Settings(config.k(), config.alpha(), config.rpcTimeout(), scheduler,
        liveness);
  }

  CompletableFuture<LookupResult> findNode(NodeId target, Instant deadline) {
    return run(Lookup.findNode(settings, self, target, seeds(target),
        c -> transport.findNode(c, target), deadline), target, NodeMetrics.LookupType.FIND_NODE);
  }

  /**
   * A FIND_VALUE lookup for the record of {@code kind} under {@code key} that ends once
   * {@code quorum} answers carried one. {@code localAnswer}: this node's own record of that kind
   * when it is among the closest, else null; it counts as one of them.
   */
  CompletableFuture<LookupResult> findValue(NodeId key, RecordKind kind, int quorum,
      ValueRecord localAnswer, Instant deadline) {
    return run(Lookup.findValue(settings, self, key, seeds(key),
        c -> checkedFindValue(c, key, kind), quorum, localAnswer, deadline), key,
        NodeMetrics.LookupType.FIND_VALUE);
  }

  /**
   * A peer's FIND_VALUE answer, its record through the record gate: a record of another key or
   * kind than asked for, or one that fails the gate (over the size limit, expiring beyond the
   * maximum TTL, a version beyond the clock skew, a signature or hash that does not prove it)
   * fails the answer, so the lookup counts it as that peer's failure and never returns or
   * repairs it.
   */
  private CompletableFuture<FoundValue> checkedFindValue(Contact to, NodeId key, RecordKind kind) {
    return transport.findValue(to, key, kind).thenApply(answer -> {
      ValueRecord record = answer.record();
      if (record != null) {
        if (!record.key().equals(key) || record.kind() != kind) {
          throw DhtException.invalid("asked for the " + kind + " record of " + key.shortHex()
              + ", answered with the " + record.kind() + " record of " + record.key().shortHex());
        }
        limits.checkIncoming(record, scheduler.now());
      }
      return answer;
    });
  }

  /**
   * What a lookup for a set of endpoint entries found: the lookup's result (the closest contacts
   * that answered) and the entries each contact that answered holds, by contact ID, each entry
   * through the record gate.
   */
  record EndpointAnswers(LookupResult result, Map<NodeId, List<ValueRecord>> answers) {}

  /**
   * A lookup for the endpoint entries under {@code key}, asking each contact on the way for its
   * entries. It ends as a Get does: once the closest replicas that answered with entries number
   * the Get quorum ({@code getQuorum}, counting this node when {@code localHolds}: it is among the
   * closest and holds entries), every closer contact having answered or stalled; or else, as
   * FIND_NODE, when the k closest answered (a service with no entries, or replicas that lost them).
   */
  CompletableFuture<EndpointAnswers> findEndpoints(NodeId key, boolean localHolds,
      Instant deadline) {
    Map<NodeId, List<ValueRecord>> answers = new ConcurrentHashMap<>();
    int quorum = config.getQuorum() - (localHolds ? 1 : 0);
    return run(Lookup.findSet(settings, self, key, seeds(key),
        c -> checkedFindEndpoints(c, key).thenApply(answer -> {
          answers.put(c.id(), answer.records());
          return answer;
        }), quorum, deadline), key, NodeMetrics.LookupType.FIND_VALUE)
        .thenApply(result -> new EndpointAnswers(result, Map.copyOf(answers)));
  }

  /**
   * A peer's answer with the entries under {@code key}: a single record instead, too many entries,
   * or one entry that fails the record gate fails the whole answer, as in {@link
   * #checkedFindValue}.
   */
  private CompletableFuture<FoundValue> checkedFindEndpoints(Contact to, NodeId key) {
    return transport.findValue(to, key, RecordKind.ENDPOINT).thenApply(answer -> {
      if (answer.record() != null) {
        throw DhtException.invalid("asked for the endpoint entries of " + key.shortHex()
            + ", answered with a single record");
      }
      limits.checkEndpointSet(key, answer.records(), scheduler.now());
      return answer;
    });
  }

  /** Abandons every running lookup; later ones fail at once. */
  void close() {
    closed = true;
    for (Lookup l : running) {
      l.cancel(DhtException.unavailable("the node is shutting down"));
    }
  }

  private CompletableFuture<LookupResult> run(Lookup lookup, NodeId target,
      NodeMetrics.LookupType type) {
    if (closed) {
      return CompletableFuture.failedFuture(DhtException.unavailable("the node is shut down"));
    }
    table.touchBucketOf(target, scheduler.now());
    running.add(lookup);
    lookup.result().whenComplete((r, e) -> {
      running.remove(lookup);
      metrics.lookupFinished(type, lookup.hops(), lookup.rpcs());
    });
    return lookup.start();
  }

  private List<Contact> seeds(NodeId target) {
    return table.closest(target, config.k());
  }
}
