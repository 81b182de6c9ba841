package io.kadmesh.cli.bench;

import io.kadmesh.client.KadmeshException;
import io.kadmesh.client.WatchEvent;
import io.kadmesh.client.WatchHandle;
import io.kadmesh.client.WatchListener;
import io.kadmesh.testing.GrpcMesh;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The watch figures of {@code kadmesh bench --mesh}: W watchers on random nodes, half of them on a
 * service (one of the announced ones, each its own), half on a key; then rounds of changes, each
 * made through a node other than its watcher's, one at a time: a new endpoint announced on each
 * watched service, the same endpoint withdrawn, a new value put to each watched key. For each
 * change, the time from issuing the call to the watcher's event (ENDPOINT_ADDED, ENDPOINT_REMOVED,
 * VALUE), awaited up to {@link #EVENT_LIMIT}; an event that did not come by then is counted missed.
 * The first round is not measured (it warms the JIT and writes the keys a first time).
 */
final class WatchLatency {
  /** How long an event is awaited after its change was issued. */
  static final Duration EVENT_LIMIT = Duration.ofSeconds(10);

  /** One kind of change, with the event it must cause. */
  enum Change {
    ANNOUNCE("announce", WatchEvent.Type.ENDPOINT_ADDED),
    WITHDRAW("withdraw", WatchEvent.Type.ENDPOINT_REMOVED),
    PUT("put", WatchEvent.Type.VALUE);

    final String label;
    final WatchEvent.Type event;

    Change(String label, WatchEvent.Type event) {
      this.label = label;
      this.event = event;
    }
  }

  /** What one kind of change measured. Latencies in nanoseconds, as {@link OperationStats}. */
  static final class ChangeStats {
    /** From issuing the change to the watcher's event. */
    final Histogram event = new ConcurrentHistogram(60_000_000_000L, 3);
    /** The change's own API call, issue to answer. */
    final Histogram call = new ConcurrentHistogram(60_000_000_000L, 3);
    int issued;
    int callFailures;
    int missed;
    /** Events that reached the watcher before the change's own call had returned. */
    int beforeCallReturned;

    int arrived() {
      return (int) event.getTotalCount();
    }
  }

  /** What the watch phase measured. */
  record Figures(int serviceWatchers, int keyWatchers, int rounds, Map<Change, ChangeStats> changes,
      int notSynced, long resyncs, long errors) {}

  private final GrpcMesh mesh;
  private final MeshWorkload services;
  private final Random random;
  private final long seed;
  private final int valueSize;

  WatchLatency(GrpcMesh mesh, MeshWorkload services, Random random, long seed, int valueSize) {
    this.mesh = mesh;
    this.services = services;
    this.random = random;
    this.seed = seed;
    this.valueSize = valueSize;
  }

  /** Runs {@code watchers} watchers through {@code rounds} measured rounds of changes. */
  Figures run(int watchers, int rounds) throws InterruptedException {
    List<Watcher> all = new ArrayList<>();
    List<WatchHandle> handles = new ArrayList<>();
    Map<Change, ChangeStats> stats = new EnumMap<>(Change.class);
    for (Change c : Change.values()) stats.put(c, new ChangeStats());
    int serviceWatchers = (watchers + 1) / 2;
    try {
      for (int w = 0; w < watchers; w++) {
        boolean service = w < serviceWatchers;
        int index = service ? w : w - serviceWatchers;
        String target = service ? services.services[index] : "bench-" + seed + "-watch-" + index;
        Watcher watcher = new Watcher(random.nextInt(mesh.size()), index, service, target,
            random.nextInt(Math.max(1, mesh.size() - 1)));
        all.add(watcher);
        handles.add(service ? mesh.client(watcher.node).watchService(target, watcher)
            : mesh.client(watcher.node).watchKey(target, watcher));
      }
      int notSynced = 0;
      for (Watcher w : all) {
        if (arrival(w.synced, System.nanoTime()) < 0) notSynced++;
      }
      // Round 0 is the unmeasured one.
      for (int r = 0; r <= rounds; r++) {
        Map<Change, ChangeStats> into = r == 0 ? discard() : stats;
        // The service watchers come first; only an endpoint announced can be withdrawn.
        boolean[] announced = new boolean[serviceWatchers];
        for (int i = 0; i < serviceWatchers; i++) {
          announced[i] = announce(all.get(i), r, into.get(Change.ANNOUNCE));
        }
        for (int i = 0; i < serviceWatchers; i++) {
          if (announced[i]) withdraw(all.get(i), r, into.get(Change.WITHDRAW));
        }
        for (Watcher w : all) {
          if (!w.service) put(w, r, into.get(Change.PUT));
        }
      }
      long resyncs = all.stream().mapToLong(w -> w.resyncs.get()).sum();
      long errors = all.stream().mapToLong(w -> w.errors.get()).sum();
      return new Figures(serviceWatchers, watchers - serviceWatchers, rounds, stats, notSynced,
          resyncs, errors);
    } finally {
      handles.forEach(WatchHandle::close);
    }
  }

  private static Map<Change, ChangeStats> discard() {
    Map<Change, ChangeStats> m = new EnumMap<>(Change.class);
    for (Change c : Change.values()) m.put(c, new ChangeStats());
    return m;
  }

  /** The endpoint round {@code r} adds to watcher {@code w}'s service. */
  private static String changedEndpoint(Watcher w, int r) {
    return MeshWorkload.address(w.index, 250, 10000 + r);
  }

  private boolean announce(Watcher w, int r, ChangeStats s) throws InterruptedException {
    String endpoint = changedEndpoint(w, r);
    return change(w, r, s, e -> e.type() == WatchEvent.Type.ENDPOINT_ADDED
        && e.endpoint() != null && e.endpoint().address().equals(endpoint),
        via -> mesh.client(via).announce(w.target, endpoint));
  }

  private void withdraw(Watcher w, int r, ChangeStats s) throws InterruptedException {
    String endpoint = changedEndpoint(w, r);
    change(w, r, s, e -> e.type() == WatchEvent.Type.ENDPOINT_REMOVED
        && e.endpoint() != null && e.endpoint().address().equals(endpoint),
        via -> mesh.client(via).withdraw(w.target, endpoint));
  }

  private void put(Watcher w, int r, ChangeStats s) throws InterruptedException {
    byte[] value = new byte[valueSize];
    random.nextBytes(value);
    change(w, r, s, e -> e.type() == WatchEvent.Type.VALUE && Arrays.equals(e.value(), value),
        via -> mesh.client(via).put(w.target, value));
  }

  /** A call through node {@code via}. */
  private interface Call {
    void run(int via);
  }

  /**
   * Issues one change through the node round {@code r} gives the watcher (never its own), then
   * awaits the watcher's event; answers whether the call succeeded.
   */
  private boolean change(Watcher w, int r, ChangeStats s, Predicate<WatchEvent> expected,
      Call call) throws InterruptedException {
    int via = w.changer(r, mesh.size());
    CompletableFuture<Long> arrived = w.expect(expected);
    s.issued++;
    long t0 = System.nanoTime();
    try {
      call.run(via);
    } catch (KadmeshException e) {
      s.callFailures++;
      w.expect(null);
      return false;
    }
    long returned = System.nanoTime();
    s.call.recordValue(Math.max(1, returned - t0));
    long at = arrival(arrived, t0);
    w.expect(null);
    if (at < 0) {
      s.missed++;
    } else {
      s.event.recordValue(Math.max(1, at - t0));
      if (at <= returned) s.beforeCallReturned++;
    }
    return true;
  }

  /** When {@code f} completed (nanoTime), or -1 when it did not within the limit of {@code t0}. */
  private static long arrival(CompletableFuture<Long> f, long t0) throws InterruptedException {
    long left = EVENT_LIMIT.toNanos() - (System.nanoTime() - t0);
    try {
      return f.get(Math.max(0, left), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return -1;
    }
  }

  /** One watch: notes SYNCED, RESYNC and errors, and completes the event awaited when it comes. */
  private static final class Watcher implements WatchListener {
    final int node;
    final int index;
    final boolean service;
    final String target;
    final CompletableFuture<Long> synced = new CompletableFuture<>();
    final AtomicLong resyncs = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    /** Where the changers' rotation starts among the other nodes. */
    private final int start;
    private volatile Expectation awaited;

    private record Expectation(Predicate<WatchEvent> matches, CompletableFuture<Long> arrived) {}

    Watcher(int node, int index, boolean service, String target, int start) {
      this.node = node;
      this.index = index;
      this.service = service;
      this.target = target;
      this.start = start;
    }

    /**
     * The node round {@code r}'s changes go through: the other nodes in turn from a random start,
     * so that each announcer publishes as few of this service's entries as it can, and an
     * announce and its withdraw go through the same node (only the announcer can withdraw).
     */
    int changer(int r, int size) {
      int j = (start + r) % (size - 1);
      return j < node ? j : j + 1;
    }

    CompletableFuture<Long> expect(Predicate<WatchEvent> matches) {
      Expectation e = matches == null ? null : new Expectation(matches, new CompletableFuture<>());
      awaited = e;
      return e == null ? null : e.arrived;
    }

    @Override
    public void onEvent(WatchEvent event) {
      long now = System.nanoTime();
      if (event.type() == WatchEvent.Type.SYNCED) synced.complete(now);
      if (event.type() == WatchEvent.Type.RESYNC) resyncs.incrementAndGet();
      Expectation e = awaited;
      if (e != null && e.matches.test(event)) e.arrived.complete(now);
    }

    @Override
    public void onError(KadmeshException error) {
      errors.incrementAndGet();
    }
  }
}
