package io.kadmesh.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends Kademlia's four RPCs (paper §2.3), and Watch's SUBSCRIBE and NOTIFY, to other nodes. The
 * core sees only this interface: gRPC implements it in production, an in-memory network in tests
 * and the simulator.
 *
 * <p>Every future completes exceptionally when the peer cannot be reached, refuses the call, or
 * answers as another node than {@code to} (a stale address now used by someone else). The core
 * puts its own deadline on every call, so an implementation may also leave a lost call pending.
 */
public interface PeerTransport {
  /** Pings whatever node serves {@code address}, and answers its contact (how a join learns IDs). */
  CompletableFuture<Contact> ping(String address);

  /** FIND_NODE: the k contacts {@code to} knows closest to {@code target}. */
  CompletableFuture<List<Contact>> findNode(Contact to, NodeId target);

  /**
   * FIND_VALUE: the record of {@code kind} that {@code to} holds for {@code key}, or else its k
   * closest contacts. The answer is as {@code to} gives it: the caller checks that its record is
   * of the key and kind asked for, and passes the record gate, before it believes it.
   */
  CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind);

  /**
   * STORE: whether {@code to} now holds this version, and when it does not because it holds a newer
   * one, that version (as {@code to} claims it: the caller checks it before believing it).
   */
  CompletableFuture<StoreResult> store(Contact to, ValueRecord record);

  /**
   * SUBSCRIBE: asks {@code to}, a replica of {@code key}, to notify this node of every change to its
   * records of {@code kind} there for {@code ttl} (which it may shorten); answers when the
   * subscription ends and the records {@code to} holds now (as it claims them: the caller passes
   * each through the record gate). A transport that carries no subscriptions fails the call.
   */
  default CompletableFuture<Subscription> subscribe(Contact to, NodeId key, RecordKind kind,
      Duration ttl) {
    return CompletableFuture.failedFuture(
        DhtException.unavailable("this transport carries no subscriptions"));
  }

  /**
   * NOTIFY: tells {@code to}, a subscriber, that records of {@code kind} under {@code key} changed;
   * answers whether it still wants them (false: the replica drops the subscription).
   */
  default CompletableFuture<Boolean> notify(Contact to, NodeId key, RecordKind kind,
      List<ValueRecord> records) {
    return CompletableFuture.failedFuture(
        DhtException.unavailable("this transport carries no notifications"));
  }

  /**
   * Called when the node at {@code address} left the routing table, or did not answer a probe, so
   * that an implementation can release what it keeps for it (a connection, and with it any
   * reconnect backoff). A later call to the address must still work, and start afresh.
   */
  default void forget(String address) {}

  /** A SUBSCRIBE answer: until when the replica keeps the subscription, and what it holds now. */
  record Subscription(Instant expiresAt, List<ValueRecord> records) {
    public Subscription {
      records = List.copyOf(records);
    }
  }

  /**
   * A FIND_VALUE answer: a record (null when none is held), the closest contacts, and for a kind
   * that holds a set under one key ({@link RecordKind#ENDPOINT}) every entry held, which comes
   * with the closest contacts so that a lookup goes on to the other replicas of the set.
   */
  record FoundValue(ValueRecord record, List<Contact> closest, List<ValueRecord> records) {
    public FoundValue {
      closest = List.copyOf(closest);
      records = List.copyOf(records);
    }

    /** An answer of a kind with one record per key: no set. */
    public FoundValue(ValueRecord record, List<Contact> closest) {
      this(record, closest, List.of());
    }
  }
}
