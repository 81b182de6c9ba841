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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The watcher side of Watch: one shared subscription ({@link Watch}) per key and kind for all the
 * local listeners of it, started on the first and stopped with the last; and the door through which
 * replicas' notifications come in ({@link #handleNotify}), refused from any node this one holds no
 * subscription with for that key and kind. Thread-safe.
 */
public final class Watches implements AutoCloseable {
  /** The node's proof gate: throws {@link DhtException} for a record that must not be believed. */
  @FunctionalInterface
  public interface RecordGate {
    void check(ValueRecord record, Instant now);
  }

  /** What a watch needs of its node. */
  record Context(WatchLimits limits, Contact self, int k, PeerTransport transport,
      Scheduler scheduler, Duration rpcTimeout,
      Function<NodeId, CompletableFuture<List<Contact>>> closest, RecordGate gate,
      Subscriptions local, LocalRecords localRecords, WatchMetrics metrics) {}

  /** The records of a kind this node itself holds under a key, as a Subscribe would answer them. */
  @FunctionalInterface
  public interface LocalRecords {
    List<ValueRecord> held(NodeId key, RecordKind kind);
  }

  private record Target(NodeId key, RecordKind kind) {}

  private final Context context;
  private final Map<Target, Watch> watches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * {@code closest}: the k closest live nodes to a key, by a FIND_NODE lookup; {@code local}: this
   * node's own replica side, used when it is one of the closest itself.
   */
  public Watches(WatchLimits limits, Contact self, int k, PeerTransport transport,
      Scheduler scheduler, Duration rpcTimeout,
      Function<NodeId, CompletableFuture<List<Contact>>> closest, RecordGate gate,
      Subscriptions local, LocalRecords localRecords) {
    this(limits, self, k, transport, scheduler, rpcTimeout, closest, gate, local, localRecords,
        WatchMetrics.NONE);
  }

  /** Watches that report their resyncs to {@code metrics}. */
  public Watches(WatchLimits limits, Contact self, int k, PeerTransport transport,
      Scheduler scheduler, Duration rpcTimeout,
      Function<NodeId, CompletableFuture<List<Contact>>> closest, RecordGate gate,
      Subscriptions local, LocalRecords localRecords, WatchMetrics metrics) {
    this.context = new Context(limits, self, k, transport, scheduler, rpcTimeout, closest, gate,
        local, localRecords, metrics);
    local.setLocalDelivery(this::handleNotify);
  }

  /**
   * Starts sending {@code listener} the state of {@code key}'s records of {@code kind}, then
   * SYNCED, then every change; closing the handle stops it. Throws UNAVAILABLE once closed.
   */
  public AutoCloseable watch(NodeId key, RecordKind kind, WatchListener listener) {
    if (closed) throw DhtException.unavailable("the node is shutting down");
    Target target = new Target(key, kind);
    while (true) {
      Watch watch = watches.computeIfAbsent(target,
          t -> new Watch(context, key, kind, stopped -> watches.remove(t, stopped)));
      if (watch.add(listener)) {
        watch.start();
        return () -> watch.remove(listener);
      }
      // It stopped between lookup and add: its removal is done or under way; make a new one.
      watches.remove(target, watch);
    }
  }

  /**
   * A replica's NOTIFY: answers false (the replica drops the subscription) unless this node
   * watches the key and kind and holds a subscription with {@code sender} for it.
   */
  public boolean handleNotify(Contact sender, NodeId key, RecordKind kind,
      List<ValueRecord> records) {
    Watch watch = watches.get(new Target(key, kind));
    return watch != null && sender != null && watch.notified(sender, records);
  }

  /** How many keys this node watches. */
  public int size() {
    return watches.size();
  }

  /** Stops every watch; their listeners hear nothing more. */
  @Override
  public void close() {
    closed = true;
    watches.values().forEach(Watch::stop);
    watches.clear();
  }
}
