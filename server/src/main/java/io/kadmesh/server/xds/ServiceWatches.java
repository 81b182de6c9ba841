package io.kadmesh.server.xds;

import io.grpc.Status;
import io.kadmesh.core.watch.WatchEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which services the xDS clients ask for, and the node's watch of each: a service is watched while
 * at least one stream names it, and its watch stops when the last one lets go (or ends). At most
 * {@code maxServices} are watched at once, so that a client cannot make the node watch names
 * without bound. Each watch's events update the service's load assignment in the cache, pushed to
 * the clients at once.
 *
 * <p>Threading: what streams want is counted under this object's lock, so that a request over the
 * limit is refused on the spot; starting and stopping watches and applying their events run in
 * order on {@code serial}, one task at a time, never under that lock (a node's watch may call its
 * listener while it holds its own lock).
 */
final class ServiceWatches implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceWatches.class);

  private final EndpointSource source;
  private final XdsResourceCache cache;
  private final Executor serial;
  private final int maxServices;
  /** Guarded by this: what each stream wants, and how many streams want each service. */
  private final Map<Object, Set<String>> wanted = new HashMap<>();
  private final Map<String, Integer> streams = new HashMap<>();
  private boolean closed;
  /** Confined to {@code serial}: the running watches. */
  private final Map<String, Running> running = new HashMap<>();

  /** One service's watch and what it has told so far. */
  private static final class Running {
    final ServiceEndpoints endpoints = new ServiceEndpoints();
    AutoCloseable handle;
  }

  ServiceWatches(EndpointSource source, XdsResourceCache cache, Executor serial, int maxServices) {
    if (maxServices < 1) {
      throw new IllegalArgumentException("maxServices must be positive: " + maxServices);
    }
    this.source = source;
    this.cache = cache;
    this.serial = serial;
    this.maxServices = maxServices;
  }

  /**
   * Sets what {@code stream} wants now (replacing what it wanted before): starts watching the
   * services nobody wanted yet, stops those nobody wants any more. Throws a RESOURCE_EXHAUSTED
   * status when that would watch more than the limit, and then changes nothing.
   */
  void want(Object stream, Set<String> services) {
    Set<String> start = new HashSet<>();
    Set<String> stop = new HashSet<>();
    synchronized (this) {
      if (closed) {
        throw Status.UNAVAILABLE.withDescription("the node is shutting down").asRuntimeException();
      }
      Set<String> before = wanted.getOrDefault(stream, Set.of());
      for (String s : services) {
        if (!before.contains(s) && !streams.containsKey(s)) start.add(s);
      }
      if (streams.size() + start.size() > maxServices) {
        throw Status.RESOURCE_EXHAUSTED.withDescription("this node's xDS server watches "
            + streams.size() + " services and the request adds " + start.size() + "; the limit is "
            + maxServices + " services (maxWatchStreams)").asRuntimeException();
      }
      for (String s : services) {
        if (!before.contains(s)) streams.merge(s, 1, Integer::sum);
      }
      for (String s : before) {
        if (!services.contains(s) && streams.merge(s, -1, Integer::sum) == 0) {
          streams.remove(s);
          stop.add(s);
        }
      }
      if (services.isEmpty()) wanted.remove(stream);
      else wanted.put(stream, Set.copyOf(services));
    }
    start.forEach(s -> serial.execute(() -> start(s)));
    stop.forEach(s -> serial.execute(() -> stop(s)));
  }

  /** The stream has ended: what it wanted is let go. */
  void ended(Object stream) {
    synchronized (this) {
      if (closed || !wanted.containsKey(stream)) return;
    }
    want(stream, Set.of());
  }

  /** How many services are watched (or about to be). */
  synchronized int watched() {
    return streams.size();
  }

  private void start(String service) {
    synchronized (this) {
      // Let go again before this ran (or never counted because closed): nothing to start.
      if (closed || !streams.containsKey(service) || running.containsKey(service)) return;
    }
    Running r = new Running();
    running.put(service, r);
    cache.add(service);
    try {
      r.handle = source.watch(service, event -> serial.execute(() -> received(service, r, event)));
    } catch (RuntimeException e) {
      // A name the node refuses (the callbacks check the length first): the service stays empty.
      log.debug("xDS: cannot watch service {}: {}", service, e.getMessage());
      cache.update(service, XdsResources.loadAssignment(service, java.util.List.of()));
    }
  }

  private void stop(String service) {
    synchronized (this) {
      if (streams.containsKey(service)) return; // wanted again meanwhile: keep it
    }
    Running r = running.remove(service);
    if (r == null) return;
    cache.remove(service);
    closeQuietly(r.handle);
  }

  private void received(String service, Running r, WatchEvent event) {
    if (running.get(service) != r) return; // an event of a watch stopped since
    if (r.endpoints.apply(event)) {
      cache.update(service, XdsResources.loadAssignment(service, r.endpoints.endpoints()));
    }
  }

  /** Stops every watch; later requests are refused UNAVAILABLE. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) return;
      closed = true;
      wanted.clear();
      streams.clear();
    }
    serial.execute(() -> {
      running.values().forEach(r -> closeQuietly(r.handle));
      running.clear();
    });
  }

  private static void closeQuietly(AutoCloseable handle) {
    if (handle == null) return;
    try {
      handle.close();
    } catch (Exception e) {
      log.warn("closing a service watch failed", e);
    }
  }
}
