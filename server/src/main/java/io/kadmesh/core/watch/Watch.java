package io.kadmesh.core.watch;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.Subscription;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One key's (and kind's) subscription, shared by every local listener of it. A cycle looks up the
 * key's k closest nodes, subscribes to each (this node itself included when it is one), and
 * merges their answers into the {@link View}; the first cycle then sends the state and SYNCED.
 * Cycles repeat at half the subscription TTL, so that subscriptions are renewed and follow the
 * replicas when the k closest change; one that finds the node may have missed changes (the
 * renewal came after its subscriptions lapsed, every subscription failed before, the replica set
 * changed, or the answers brought a change no notification did) sends RESYNC, the whole state and
 * SYNCED. Between cycles, replicas' notifications update the view as they come. A timer at the
 * next expiry turns an expired value into DELETED (or ENDPOINT_REMOVED).
 */
final class Watch {
  private static final Logger log = LoggerFactory.getLogger(Watch.class);

  private final Watches.Context context;
  private final NodeId key;
  private final RecordKind kind;
  /** Told once, when this watch stops: the registry forgets it (and only it). */
  private final Consumer<Watch> onStop;
  private final View view;
  private final Duration ttl;
  /** Guarded by this, like every mutable field below. */
  private final List<WatchListener> listeners = new ArrayList<>();
  /** The replicas the last cycle subscribed to: their notifications are believed. */
  private final Map<NodeId, Contact> subscribed = new HashMap<>();
  /** The replicas the running cycle asks: they may notify before their answer comes. */
  private final Map<NodeId, Contact> pending = new HashMap<>();
  private boolean started;
  private boolean synced;
  private boolean stopped;
  /** Whether changes may have been missed since the last state sent. */
  private boolean gap;
  /** When the earliest of the current subscriptions lapses unless renewed. */
  private Instant coveredUntil;
  private Scheduler.Cancellable renewal;
  private Scheduler.Cancellable expiry;

  private record Answer(Contact replica, Subscription subscription) {}

  Watch(Watches.Context context, NodeId key, RecordKind kind, Consumer<Watch> onStop) {
    this.context = context;
    this.key = key;
    this.kind = kind;
    this.onStop = onStop;
    this.view = kind == RecordKind.ENDPOINT ? new EndpointView() : new KeyView();
    this.ttl = context.limits().subscriptionTtl();
  }

  /** Adds a listener; a watch already synced sends it the state and SYNCED at once. */
  synchronized boolean add(WatchListener listener) {
    if (stopped) return false;
    listeners.add(listener);
    if (synced) {
      List<WatchEvent> state = new ArrayList<>(view.state(context.scheduler().now()));
      state.add(WatchEvent.SYNCED);
      state.forEach(e -> deliver(listener, e));
    }
    return true;
  }

  /** Starts the first cycle, once. */
  void start() {
    synchronized (this) {
      if (started) return;
      started = true;
    }
    cycle();
  }

  /** Removes a listener; the last one stops the watch. */
  synchronized void remove(WatchListener listener) {
    listeners.remove(listener);
    if (listeners.isEmpty()) stop();
  }

  /** Stops renewing; replicas' later notifications are refused, so they drop the subscription. */
  synchronized void stop() {
    if (stopped) return;
    stopped = true;
    if (renewal != null) renewal.cancel();
    if (expiry != null) expiry.cancel();
    onStop.accept(this);
  }

  /** A replica's notification: false unless it is one this watch subscribed to (or is asking). */
  boolean notified(Contact sender, List<ValueRecord> records) {
    synchronized (this) {
      if (stopped || !(subscribed.containsKey(sender.id()) || pending.containsKey(sender.id()))) {
        return false;
      }
    }
    Instant now = context.scheduler().now();
    List<ValueRecord> believed = checked(records, now);
    synchronized (this) {
      if (stopped) return false;
      List<WatchEvent> events = new ArrayList<>();
      for (ValueRecord r : believed) events.addAll(view.merge(r, now));
      if (synced) emit(events);
      scheduleExpiry(now);
      return true;
    }
  }

  private void cycle() {
    synchronized (this) {
      if (stopped) return;
    }
    context.closest().apply(key)
        .handle((found, e) -> found == null ? List.<Contact>of() : found)
        .thenAccept(this::subscribeTo);
  }

  private void subscribeTo(List<Contact> found) {
    List<Contact> replicas = replicas(found);
    synchronized (this) {
      if (stopped) return;
      pending.clear();
      replicas.forEach(r -> pending.put(r.id(), r));
    }
    List<CompletableFuture<Answer>> answers = new ArrayList<>();
    for (Contact replica : replicas) {
      answers.add(subscribe(replica).handle((s, e) -> new Answer(replica, e == null ? s : null)));
    }
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenRun(() -> settle(answers.stream().map(CompletableFuture::join).toList()));
  }

  /** The k closest to the key among the nodes found and this node itself. */
  private List<Contact> replicas(List<Contact> found) {
    Contact self = context.self();
    List<Contact> all = new ArrayList<>();
    for (Contact c : found) {
      if (!c.id().equals(self.id()) && all.stream().noneMatch(a -> a.id().equals(c.id()))) all.add(c);
    }
    all.add(self);
    all.sort((a, b) -> key.compareDistance(a.id(), b.id()));
    return all.size() > context.k() ? List.copyOf(all.subList(0, context.k())) : all;
  }

  private CompletableFuture<Subscription> subscribe(Contact replica) {
    Scheduler scheduler = context.scheduler();
    if (replica.id().equals(context.self().id())) {
      try {
        Instant expiresAt = context.local().subscribe(replica, key, kind, ttl, scheduler.now());
        return CompletableFuture.completedFuture(
            new Subscription(expiresAt, context.localRecords().held(key, kind)));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    CompletableFuture<Subscription> call;
    try {
      call = context.transport().subscribe(replica, key, kind, ttl);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Subscription> out = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(context.rpcTimeout(), () ->
        out.completeExceptionally(DhtException.deadlineExceeded("subscribe timed out")));
    call.whenComplete((s, e) -> {
      timer.cancel();
      if (e == null) out.complete(s);
      else out.completeExceptionally(e);
    });
    return out;
  }

  private void settle(List<Answer> answers) {
    Instant now = context.scheduler().now();
    // Proofs are checked outside the lock: a signature check takes a while.
    List<List<ValueRecord>> believed = new ArrayList<>();
    for (Answer a : answers) {
      believed.add(a.subscription() == null ? List.of() : checked(a.subscription().records(), now));
    }
    synchronized (this) {
      if (stopped) return;
      pending.clear();
      List<NodeId> before = List.copyOf(subscribed.keySet());
      subscribed.clear();
      boolean changed = false;
      Instant covered = now.plus(ttl);
      for (int i = 0; i < answers.size(); i++) {
        Answer a = answers.get(i);
        if (a.subscription() == null) continue;
        subscribed.put(a.replica().id(), a.replica());
        if (a.subscription().expiresAt().isBefore(covered)) covered = a.subscription().expiresAt();
        for (ValueRecord r : believed.get(i)) {
          changed |= !view.merge(r, now).isEmpty();
        }
      }
      boolean allFailed = subscribed.isEmpty();
      if (!synced) {
        synced = true;
        // Nobody answered: the state sent may be incomplete, which the next answer repairs.
        gap = allFailed;
        emitState(false, now);
      } else if (!allFailed) {
        boolean late = coveredUntil != null && now.isAfter(coveredUntil);
        boolean moved = !(before.size() == subscribed.size() && subscribed.keySet().containsAll(before));
        if (gap || late || moved || changed) {
          log.debug("watch of {}: resync (gap {}, late {}, moved {}, changed {})", key.shortHex(),
              gap, late, moved, changed);
          context.metrics().resynced();
          emitState(true, now);
        }
        gap = false;
      } else {
        gap = true;
      }
      if (!allFailed) coveredUntil = covered;
      scheduleExpiry(now);
      // Every subscription failed: try again well before any of them could lapse.
      Duration next = allFailed ? ttl.dividedBy(8) : ttl.dividedBy(2);
      renewal = context.scheduler().schedule(next, this::cycle);
    }
  }

  /** The records of this key and kind that pass the node's proof gate. */
  private List<ValueRecord> checked(List<ValueRecord> records, Instant now) {
    List<ValueRecord> out = new ArrayList<>(records.size());
    for (ValueRecord r : records) {
      if (!r.key().equals(key) || r.kind() != kind) continue;
      try {
        context.gate().check(r, now);
        out.add(r);
      } catch (DhtException e) {
        log.debug("watch of {}: refused a record: {}", key.shortHex(), e.getMessage());
      }
    }
    return out;
  }

  /** Guarded by this. */
  private void emitState(boolean resync, Instant now) {
    List<WatchEvent> events = new ArrayList<>();
    if (resync) events.add(WatchEvent.RESYNC);
    events.addAll(view.state(now));
    events.add(WatchEvent.SYNCED);
    emit(events);
  }

  /** Guarded by this. */
  private void scheduleExpiry(Instant now) {
    if (expiry != null) expiry.cancel();
    expiry = view.nextExpiry()
        .map(at -> context.scheduler().schedule(max(Duration.between(now, at), Duration.ZERO),
            this::expired))
        .orElse(null);
  }

  private synchronized void expired() {
    if (stopped) return;
    Instant now = context.scheduler().now();
    List<WatchEvent> events = view.expire(now);
    if (synced) emit(events);
    scheduleExpiry(now);
  }

  /** Guarded by this: listeners hear events in the order the view made them. */
  private void emit(List<WatchEvent> events) {
    for (WatchEvent e : events) {
      for (WatchListener l : List.copyOf(listeners)) deliver(l, e);
    }
  }

  private void deliver(WatchListener listener, WatchEvent event) {
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      log.warn("a watch listener failed", e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
