package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The application's writes, {@link KademliaNode}'s Put, Delete, PutSigned, PutContent and
 * PutEndpoint: each
 * makes its record (or checks the owner's signed one) here, sends it to the k closest live nodes a
 * lookup finds (paper §2.3), or that this node's fresh view of the key's neighbourhood holds
 * ({@link NeighbourhoodView}), widened by what the STOREs answer ({@link ReplicaTargets}), and is
 * acknowledged once the write quorum kept it. A record is checked
 * once, on its way in, which is why this node's own replica of it skips the record gate's limits
 * ({@link ReplicaWriter#writeOwn}).
 */
final class RecordWrites {
  private final NodeConfig config;
  private final Scheduler scheduler;
  private final VersionClock clock;
  private final Limits limits;
  private final RoutingTable table;
  private final Membership membership;
  private final Lookups lookups;
  private final ReplicaWriter writer;
  private final RecordReads reads;
  private final NeighbourhoodView neighbourhood;

  RecordWrites(NodeConfig config, Scheduler scheduler, VersionClock clock, Limits limits,
      RoutingTable table, Membership membership, Lookups lookups, ReplicaWriter writer,
      RecordReads reads) {
    this.config = config;
    this.scheduler = scheduler;
    this.clock = clock;
    this.limits = limits;
    this.table = table;
    this.membership = membership;
    this.lookups = lookups;
    this.writer = writer;
    this.reads = reads;
    this.neighbourhood = new NeighbourhoodView(table, config.k(), config.contactFreshness());
  }

  CompletableFuture<WriteResult> put(NodeId key, byte[] value, Duration ttl, Instant deadline) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    return writeNew(() -> {
      Instant expiresAt = expiresAt(value, ttl);
      return ValueRecord.value(key, value, clock.next(), expiresAt);
    }, deadline);
  }

  CompletableFuture<WriteResult> putContent(byte[] value, Duration ttl, Instant deadline) {
    Objects.requireNonNull(value, "value");
    return writeNew(() -> {
      Instant expiresAt = expiresAt(value, ttl);
      return ValueRecord.content(Limits.contentKey(value), value, clock.next(), expiresAt);
    }, deadline);
  }

  /** The owner chose the seq: this node's clock neither issues nor observes it. */
  CompletableFuture<WriteResult> putSigned(ValueRecord signed, Long expectedSeq, Instant deadline) {
    Objects.requireNonNull(signed, "signed");
    try {
      limits.checkOwnSigned(signed, scheduler.now());
    } catch (DhtException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (expectedSeq == null) {
      return write(signed, deadline);
    }
    return Timeouts.unwrapped(reads.newest(signed.key(), RecordKind.SIGNED, config.getQuorum(), deadline)
        .thenCompose(found -> {
          long seq = found.map(r -> r.signature().seq()).orElse(0L);
          return seq == expectedSeq ? write(signed, deadline)
              : CompletableFuture.failedFuture(DhtException.seqMismatch(expectedSeq, seq));
        }));
  }

  /** An announcer's signed entry: checked as every replica will, then written like putSigned. */
  CompletableFuture<WriteResult> putEndpoint(ValueRecord entry, Instant deadline) {
    Objects.requireNonNull(entry, "entry");
    try {
      limits.checkOwnEndpoint(entry, scheduler.now());
    } catch (DhtException e) {
      return CompletableFuture.failedFuture(e);
    }
    return write(entry, deadline);
  }

  CompletableFuture<WriteResult> delete(NodeId key, Instant deadline) {
    Objects.requireNonNull(key, "key");
    // A tombstone lives maxTtl so that it outlives every value it shadows.
    return write(ValueRecord.tombstone(key, clock.next(), scheduler.now().plus(config.maxTtl())),
        deadline);
  }

  /** See {@link KademliaNode#writeQuorum}. */
  int quorum() {
    boolean byItself = membership.isAlone() || !membership.isStarted();
    return byItself && table.size() == 0 ? 1 : config.writeQuorum();
  }

  /** A new value's expiry, once the value and the TTL (null: the default) are within the limits. */
  private Instant expiresAt(byte[] value, Duration ttl) {
    limits.checkValue(value);
    return scheduler.now().plus(limits.ttl(ttl));
  }

  /**
   * Writes the record {@code make} builds; what it throws checking the caller's input fails the
   * write before a version is issued or anything is sent.
   */
  private CompletableFuture<WriteResult> writeNew(Supplier<ValueRecord> make, Instant deadline) {
    ValueRecord record;
    try {
      record = make.get();
    } catch (DhtException e) {
      return CompletableFuture.failedFuture(e);
    }
    return write(record, deadline);
  }

  private CompletableFuture<WriteResult> write(ValueRecord record, Instant deadline) {
    if (membership.isCutOff()) {
      // Refused before anything is written: a copy kept here alone would be a write nobody
      // acknowledged, waiting to spread once the node is back.
      return CompletableFuture.failedFuture(DhtException.unavailable("this node reaches no peer "
          + "of its network (it is retrying its saved contacts and bootstrap addresses): "
          + "the write would reach no replica but this node"));
    }
    List<Contact> view = neighbourhood.candidates(record.key(), scheduler.now());
    if (view != null) {
      // No lookup: the STOREs' answers check the view (NeighbourhoodView says why that is safe).
      return Timeouts.unwrapped(writer.placeOwn(record,
              writer.targetsWithSelf(record.key(), view), deadline)
          .thenCompose(result -> requireQuorum(result, record)));
    }
    // After a lookup the targets are fixed: it heard the k closest itself, and a replica's answer
    // could only name nodes the lookup passed over (dead or slow), each costing the write a wait.
    return Timeouts.unwrapped(lookups.findNode(record.key(), deadline)
        .thenCompose(found -> writer.writeOwn(record,
            writer.closestWithSelf(record.key(), found.closest()), deadline))
        .thenCompose(result -> requireQuorum(result, record)));
  }

  /**
   * Acknowledges a write only once the write quorum kept it. The replicas that did keep it keep
   * it: a failed write may still show up later, when those replicas republish it.
   */
  private CompletableFuture<WriteResult> requireQuorum(WriteResult result, ValueRecord record) {
    int required = quorum();
    if (result.replicas() >= required) {
      return CompletableFuture.completedFuture(result);
    }
    if (result.newerHeld() != null) {
      // Not "unavailable": the replicas answered, and a retry (past the newer version now) wins.
      return CompletableFuture.failedFuture(ReplicaWriter.lostTo(result.newerHeld()));
    }
    if (result.heldSeq() > 0) {
      return CompletableFuture.failedFuture(ReplicaWriter.lostToSeq(result.heldSeq(), record));
    }
    return CompletableFuture.failedFuture(DhtException.unavailable("only " + result.replicas()
        + " of the " + required + " replicas the write quorum requires kept the record"
        + (membership.isCutOff() ? ": this node reaches no peer of its network" : "")));
  }
}
