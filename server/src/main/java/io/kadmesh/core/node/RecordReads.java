package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.lookup.LookupResult;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.ReadStats;
import io.kadmesh.core.storage.RecordStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The application's reads, {@link KademliaNode}'s Get of each kind and a compare-and-swap's
 * read: the newest record of a key and kind that a FIND_VALUE lookup (paper §2.3) and this node's
 * own copy offer, after which the replicas found behind are repaired ({@link ReadRepair}). Also
 * what this node serves a peer's FIND_VALUE: only what still passes the record gate.
 */
final class RecordReads {
  private final NodeConfig config;
  private final NodeId self;
  private final Scheduler scheduler;
  private final VersionClock clock;
  private final Limits limits;
  private final RecordStore store;
  private final RoutingTable table;
  private final Membership membership;
  private final Lookups lookups;
  private final ReadRepair readRepair;
  private final ReadStats readStats;

  RecordReads(NodeConfig config, NodeId self, Scheduler scheduler, VersionClock clock,
      Limits limits, RecordStore store, ReadStats readStats, RoutingTable table,
      Membership membership, Lookups lookups, ReadRepair readRepair) {
    this.readStats = readStats;
    this.config = config;
    this.self = self;
    this.scheduler = scheduler;
    this.clock = clock;
    this.limits = limits;
    this.store = store;
    this.table = table;
    this.membership = membership;
    this.lookups = lookups;
    this.readRepair = readRepair;
  }

  /**
   * The record of {@code kind} this node holds for {@code key}, if it still passes the record
   * gate; it counts as served ({@link ReadStats}): every read of the node's copy, a peer's
   * FIND_VALUE and a local Get alike, comes through here.
   */
  Optional<ValueRecord> held(NodeId key, RecordKind kind) {
    Instant now = scheduler.now();
    Optional<ValueRecord> held = store.get(key, kind, now).filter(r -> limits.admits(r, now));
    held.ifPresent(r -> readStats.served(r, now));
    return held;
  }

  /**
   * See {@link KademliaNode#get(NodeId, RecordKind, int, java.time.Duration)}; {@code quorum} is
   * 1 to k.
   */
  CompletableFuture<Optional<ValueRecord>> newest(NodeId key, RecordKind kind, int quorum,
      Instant deadline) {
    boolean amongClosest = isAmongClosest(key);
    ValueRecord held = held(key, kind).orElse(null);
    if (quorum == 1 && amongClosest && held != null) {
      // The quorum is this node's own copy: no lookup, hence nothing found behind to repair.
      clock.observe(held);
      return CompletableFuture.completedFuture(Optional.of(held));
    }
    if (held == null && membership.isCutOff()) {
      // Not a NOT_FOUND: the record may well exist on the peers this node cannot reach.
      return CompletableFuture.failedFuture(DhtException.unavailable(
          "this node reaches no peer of its network (it is retrying its saved contacts and "
              + "bootstrap addresses), and holds no copy of the key itself"));
    }
    ValueRecord local = amongClosest ? held : null;
    CompletableFuture<LookupResult> lookup = lookups.findValue(key, kind, quorum, local, deadline);
    // Only schedules the repair: the caller's answer does not wait for it.
    lookup.thenAccept(found -> readRepair.after(found, amongClosest, local, quorum));
    // A copy held here counts as an answer only among the closest, but it is never ignored: when
    // the closer nodes are all gone, it may be the last copy there is.
    return Timeouts.unwrapped(lookup.thenCompose(found -> {
      if (held == null && found.closest().isEmpty() && found.record().isEmpty()
          && table.size() > 0) {
        // Every peer asked failed: nobody said the key is absent.
        return CompletableFuture.failedFuture(DhtException.unavailable("no peer answered the "
            + "lookup, and this node holds no copy of the key itself"));
      }
      Optional<ValueRecord> newest = newest(found.record(), held);
      newest.ifPresent(clock::observe);
      return CompletableFuture.completedFuture(newest);
    }));
  }

  private static Optional<ValueRecord> newest(Optional<ValueRecord> found, ValueRecord held) {
    if (held == null || (found.isPresent() && !held.version().isNewerThan(found.get().version()))) {
      return found;
    }
    return Optional.of(held);
  }

  /** Whether this node would be among the k closest to {@code key} as far as it knows. */
  private boolean isAmongClosest(NodeId key) {
    List<Contact> closest = table.closest(key, config.k());
    return closest.size() < config.k()
        || key.compareDistance(self, closest.get(closest.size() - 1).id()) < 0;
  }
}
