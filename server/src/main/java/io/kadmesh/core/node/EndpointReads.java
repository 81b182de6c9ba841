package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.ReadStats;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.StoredKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Resolve: the endpoint entries of a service, the union of what the first few of its closest
 * replicas hold. Each announcer writes its entries to the k closest live nodes (and republish,
 * hand-off and read repair keep them there), so every one of the closest holds the whole set;
 * the lookup ({@link Lookups#findEndpoints}) therefore stops, as a Get does, once the Get quorum
 * of the closest replicas answered with entries (this node counting as one when it is among the
 * closest and holds entries), every closer contact having answered or stalled, and this takes
 * the union, so that one replica that lacks an entry, or hides it, does not hide it from the
 * answer. It keeps the newest state of each entry (by seq, as every replica orders them),
 * withdrawn ones included, expired ones left out. Those of the replicas the answer rests on that
 * answered without an entry, or with an older state of it, are then repaired as {@link
 * ReadRepair} does for a Get; when they agree, nothing is written. Also what this node serves a
 * peer's FIND_VALUE for a service: only what still passes the record gate, never more than the
 * cap.
 */
final class EndpointReads {
  private final NodeConfig config;
  private final Contact self;
  private final Scheduler scheduler;
  private final Limits limits;
  private final RecordStore store;
  private final RoutingTable table;
  private final Membership membership;
  private final Lookups lookups;
  private final ReplicaWriter writer;
  private final NodeMetrics metrics;
  private final ReadStats readStats;

  EndpointReads(NodeConfig config, Contact self, Scheduler scheduler, Limits limits,
      RecordStore store, ReadStats readStats, RoutingTable table, Membership membership,
      Lookups lookups, ReplicaWriter writer, NodeMetrics metrics) {
    this.readStats = readStats;
    this.config = config;
    this.self = self;
    this.scheduler = scheduler;
    this.limits = limits;
    this.store = store;
    this.table = table;
    this.membership = membership;
    this.lookups = lookups;
    this.writer = writer;
    this.metrics = metrics;
  }

  /**
   * The entries this node holds under {@code key} that pass the record gate, at most the cap; each
   * counts as served ({@link ReadStats}).
   */
  List<ValueRecord> held(NodeId key) {
    Instant now = scheduler.now();
    List<ValueRecord> out = new ArrayList<>();
    for (ValueRecord r : store.getAll(key, RecordKind.ENDPOINT, now)) {
      if (out.size() >= config.maxServiceEntries()) break;
      if (limits.admits(r, now)) {
        out.add(r);
        readStats.served(r, now);
      }
    }
    return out;
  }

  /** See {@link KademliaNode#resolve}. */
  CompletableFuture<List<ValueRecord>> resolve(NodeId key, Instant deadline) {
    List<ValueRecord> local = held(key);
    if (local.isEmpty() && membership.isCutOff()) {
      return CompletableFuture.failedFuture(DhtException.unavailable(
          "this node reaches no peer of its network (it is retrying its saved contacts and "
              + "bootstrap addresses), and holds no entry of the service itself"));
    }
    boolean amongClosest = isAmongClosest(key);
    boolean localHolds = amongClosest && !local.isEmpty();
    return Timeouts.unwrapped(lookups.findEndpoints(key, localHolds, deadline).thenCompose(found -> {
      if (local.isEmpty() && found.answers().isEmpty() && table.size() > 0) {
        // Every peer asked failed: nobody said the service has no entries.
        return CompletableFuture.failedFuture(DhtException.unavailable("no peer answered the "
            + "lookup, and this node holds no entry of the service itself"));
      }
      Instant now = scheduler.now();
      Map<StoredKey, ValueRecord> newest = new TreeMap<>();
      merge(newest, local, now);
      found.answers().values().forEach(entries -> merge(newest, entries, now));
      repair(found, newest, amongClosest, localHolds ? 1 : 0, local);
      return CompletableFuture.completedFuture(List.copyOf(newest.values()));
    }));
  }

  private static void merge(Map<StoredKey, ValueRecord> into, List<ValueRecord> entries,
      Instant now) {
    for (ValueRecord r : entries) {
      if (r.isExpiredAt(now)) continue;
      into.merge(StoredKey.of(r), r, (a, b) -> b.version().isNewerThan(a.version()) ? b : a);
    }
  }

  /**
   * Writes each entry found to the replicas the answer rests on that answered without it or with
   * an older state of it (this node too, when it is among the closest), later on the scheduler so
   * that the resolve answers first. Those replicas are the closest that answered, up to the last
   * holder the lookup's quorum counted ({@code localCounted} of which is this node): a contact
   * that answered farther out (an early hop of the lookup) is no replica to repair. Best effort: a
   * replica that refuses is left to republish.
   */
  private void repair(Lookups.EndpointAnswers found, Map<StoredKey, ValueRecord> newest,
      boolean amongClosest, int localCounted, List<ValueRecord> local) {
    Map<Contact, Map<StoredKey, Version>> holders = new LinkedHashMap<>();
    int counted = localCounted;
    for (Contact c : found.result().closest()) {
      if (counted >= config.getQuorum()) break;
      List<ValueRecord> entries = found.answers().get(c.id());
      if (entries == null) continue;
      holders.put(c, versions(entries));
      if (!entries.isEmpty()) counted++;
    }
    if (amongClosest) {
      holders.put(self, versions(local));
    }
    Map<ValueRecord, List<Contact>> behind = new LinkedHashMap<>();
    for (ValueRecord r : newest.values()) {
      StoredKey at = StoredKey.of(r);
      holders.forEach((c, held) -> {
        Version v = held.get(at);
        if (v == null || r.version().isNewerThan(v)) {
          behind.computeIfAbsent(r, x -> new ArrayList<>()).add(c);
        }
      });
    }
    if (behind.isEmpty()) return;
    scheduler.schedule(Duration.ZERO, () -> behind.forEach((r, targets) -> {
      if (r.isExpiredAt(scheduler.now())) return;
      writer.write(r, targets, scheduler.now().plus(config.operationTimeout()))
          .thenAccept(w -> {
            if (w.replicas() > 0) metrics.readRepaired(w.replicas());
          });
    }));
  }

  private static Map<StoredKey, Version> versions(List<ValueRecord> entries) {
    Map<StoredKey, Version> out = new HashMap<>();
    for (ValueRecord r : entries) {
      out.merge(StoredKey.of(r), r.version(), (a, b) -> b.isNewerThan(a) ? b : a);
    }
    return out;
  }

  /**
   * Whether this node would be among the k closest to {@code key} as far as its routing table
   * knows (as a Get judges it): the lookup now stops before the k closest answered, so their
   * list cannot tell.
   */
  private boolean isAmongClosest(NodeId key) {
    List<Contact> closest = table.closest(key, config.k());
    return closest.size() < config.k()
        || key.compareDistance(self.id(), closest.get(closest.size() - 1).id()) < 0;
  }
}
