package io.kadmesh.core.watch;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.WatchLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica side of Watch: which nodes subscribed to the records of one kind under a key, until
 * when, within the limits of {@link WatchLimits}; and a Notify to each live subscriber whenever the
 * store accepts a new version there ({@link #changed}). Notifications are sent asynchronously, a
 * bounded number at a time, each with a deadline, so that the store's path never waits for a
 * subscriber. A subscriber that answers it no longer watches, or whose subscription expired, is
 * dropped. Thread-safe.
 */
public final class Subscriptions {
  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);

  /** How a notification reaches this node's own watches, which no transport call is needed for. */
  @FunctionalInterface
  public interface LocalDelivery {
    /** Answers whether this node still watches the key (false drops the subscription). */
    boolean deliver(Contact from, NodeId key, RecordKind kind, List<ValueRecord> records);
  }

  private record Target(NodeId key, RecordKind kind) {}

  private record Subscriber(Contact contact, Instant expiresAt) {}

  private final WatchLimits limits;
  private final Contact self;
  private final PeerTransport transport;
  private final Scheduler scheduler;
  private final Duration rpcTimeout;
  private final WatchMetrics metrics;
  private volatile LocalDelivery local = (from, key, kind, records) -> false;
  /** Guarded by this. */
  private final Map<Target, Map<NodeId, Subscriber>> table = new HashMap<>();
  /** Subscriptions per subscriber ID. Guarded by this. */
  private final Map<NodeId, Integer> perSubscriber = new HashMap<>();
  /** Guarded by this. */
  private int total;
  private final AtomicInteger inFlight = new AtomicInteger();

  public Subscriptions(WatchLimits limits, Contact self, PeerTransport transport,
      Scheduler scheduler, Duration rpcTimeout) {
    this(limits, self, transport, scheduler, rpcTimeout, WatchMetrics.NONE);
  }

  /** Subscriptions that report what became of each notification to {@code metrics}. */
  public Subscriptions(WatchLimits limits, Contact self, PeerTransport transport,
      Scheduler scheduler, Duration rpcTimeout, WatchMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.limits = limits;
    this.self = self;
    this.transport = transport;
    this.scheduler = scheduler;
    this.rpcTimeout = rpcTimeout;
  }

  /** Where notifications for this node itself go (its own {@link Watches}). */
  public void setLocalDelivery(LocalDelivery local) {
    this.local = local;
  }

  /**
   * Subscribes (or renews) {@code subscriber} to changes of {@code kind} records under {@code key}
   * for {@code ttl}, shortened to the maximum; answers when it ends. Throws {@link DhtException}
   * INVALID_ARGUMENT for a TTL that is not positive, RESOURCE_EXHAUSTED when the subscriber or
   * this node holds its limit of subscriptions already (the message names it).
   */
  public synchronized Instant subscribe(Contact subscriber, NodeId key, RecordKind kind,
      Duration ttl, Instant now) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw DhtException.invalid("ttl must be positive, at most " + limits.maxSubscriptionTtl()
          + ", got " + ttl);
    }
    Duration granted = ttl.compareTo(limits.maxSubscriptionTtl()) > 0
        ? limits.maxSubscriptionTtl() : ttl;
    Target target = new Target(key, kind);
    Map<NodeId, Subscriber> subscribers = table.get(target);
    boolean renewal = subscribers != null && subscribers.containsKey(subscriber.id());
    if (!renewal) {
      if (isOverLimit(subscriber.id())) {
        purgeExpired(now);
      }
      checkLimits(subscriber.id());
      subscribers = table.computeIfAbsent(target, t -> new HashMap<>());
      perSubscriber.merge(subscriber.id(), 1, Integer::sum);
      total++;
    }
    Instant expiresAt = now.plus(granted);
    subscribers.put(subscriber.id(), new Subscriber(subscriber, expiresAt));
    return expiresAt;
  }

  /** How many subscriptions this node holds as a replica (expired ones until dropped). */
  public synchronized int size() {
    return total;
  }

  /**
   * The store accepted {@code record} as a new version (a peer's STORE, this node's own write,
   * read repair, republish or hand-off): notifies the key's live subscribers of it.
   */
  public void changed(ValueRecord record) {
    Target target = new Target(record.key(), record.kind());
    List<Contact> to = new ArrayList<>();
    synchronized (this) {
      Map<NodeId, Subscriber> subscribers = table.get(target);
      if (subscribers == null) return;
      Instant now = scheduler.now();
      for (Iterator<Subscriber> it = subscribers.values().iterator(); it.hasNext(); ) {
        Subscriber s = it.next();
        if (!now.isBefore(s.expiresAt())) {
          it.remove();
          forget(s.contact().id());
        } else {
          to.add(s.contact());
        }
      }
      if (subscribers.isEmpty()) table.remove(target);
    }
    for (Contact c : to) {
      send(target, c, record);
    }
  }

  private void send(Target target, Contact to, ValueRecord record) {
    List<ValueRecord> records = List.of(record);
    if (to.id().equals(self.id())) {
      // Off the store's path, like a remote notification.
      scheduler.schedule(Duration.ZERO, () -> {
        metrics.notified(WatchMetrics.NotifyResult.SENT);
        if (!local.deliver(self, target.key(), target.kind(), records)) drop(target, to.id());
      });
      return;
    }
    if (inFlight.incrementAndGet() > limits.maxNotifiesInFlight()) {
      inFlight.decrementAndGet();
      metrics.notified(WatchMetrics.NotifyResult.DROPPED);
      // The subscriber's next renewal brings the change, announced by RESYNC.
      log.debug("not notifying {}: {} notifications in flight already", to, limits.maxNotifiesInFlight());
      return;
    }
    CompletableFuture<Boolean> call = new CompletableFuture<>();
    try {
      transport.notify(to, target.key(), target.kind(), records).whenComplete((ok, e) -> {
        if (e == null) call.complete(ok);
        else call.completeExceptionally(e);
      });
    } catch (RuntimeException e) {
      call.completeExceptionally(e);
    }
    Scheduler.Cancellable timer = scheduler.schedule(rpcTimeout,
        () -> call.completeExceptionally(DhtException.deadlineExceeded("notify timed out")));
    call.whenComplete((subscribed, e) -> {
      timer.cancel();
      inFlight.decrementAndGet();
      metrics.notified(e == null ? WatchMetrics.NotifyResult.SENT : WatchMetrics.NotifyResult.FAILED);
      if (e == null && !subscribed) {
        drop(target, to.id());
      }
      // A failed call keeps the subscription: it lapses by its TTL unless the subscriber renews.
    });
  }

  private synchronized void drop(Target target, NodeId subscriber) {
    Map<NodeId, Subscriber> subscribers = table.get(target);
    if (subscribers != null && subscribers.remove(subscriber) != null) {
      forget(subscriber);
      if (subscribers.isEmpty()) table.remove(target);
    }
  }

  private boolean isOverLimit(NodeId subscriber) {
    return total >= limits.maxSubscriptions()
        || perSubscriber.getOrDefault(subscriber, 0) >= limits.maxSubscriptionsPerSubscriber();
  }

  private void checkLimits(NodeId subscriber) {
    if (total >= limits.maxSubscriptions()) {
      throw DhtException.exhausted("this node holds " + total + " subscriptions, its limit "
          + "(maxSubscriptions) is " + limits.maxSubscriptions());
    }
    int held = perSubscriber.getOrDefault(subscriber, 0);
    if (held >= limits.maxSubscriptionsPerSubscriber()) {
      throw DhtException.exhausted("subscriber " + subscriber.shortHex() + " holds " + held
          + " subscriptions here, the limit per subscriber (maxSubscriptionsPerSubscriber) is "
          + limits.maxSubscriptionsPerSubscriber());
    }
  }

  private void purgeExpired(Instant now) {
    for (Iterator<Map<NodeId, Subscriber>> targets = table.values().iterator(); targets.hasNext(); ) {
      Map<NodeId, Subscriber> subscribers = targets.next();
      for (Iterator<Subscriber> it = subscribers.values().iterator(); it.hasNext(); ) {
        Subscriber s = it.next();
        if (!now.isBefore(s.expiresAt())) {
          it.remove();
          forget(s.contact().id());
        }
      }
      if (subscribers.isEmpty()) targets.remove();
    }
  }

  private void forget(NodeId subscriber) {
    total--;
    perSubscriber.computeIfPresent(subscriber, (id, n) -> n == 1 ? null : n - 1);
  }
}
