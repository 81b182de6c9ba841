package io.kadmesh.server.xds;

import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.ConfigWatcher;
import io.envoyproxy.controlplane.cache.DeltaResponse;
import io.envoyproxy.controlplane.cache.DeltaWatch;
import io.envoyproxy.controlplane.cache.DeltaXdsRequest;
import io.envoyproxy.controlplane.cache.Resources.ResourceType;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.Watch;
import io.envoyproxy.controlplane.cache.WatchCancelledException;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The xDS resources of the services being watched, and the clients' requests waiting for them: the
 * state-of-the-world cache behind java-control-plane's ADS server. Each service has its own
 * versions (its listener and cluster from when it was added, its load assignment from its last
 * change), and a response's version names those of the resources it carries, so that a change of
 * one service answers only the requests that name it.
 *
 * <p>Why not java-control-plane's SimpleCache: in ADS mode it leaves a request for a resource not
 * yet in the snapshot unanswered, and the next snapshot of another service then discards that
 * open request without answering it, so the client would wait forever. Here a request waits until
 * every resource it names is there (a service's assignment once its watch has synced), and is
 * answered then.
 */
final class XdsResourceCache implements ConfigWatcher {
  /** One service's resources; {@code endpoints} is null until its watch has synced. */
  private record ServiceResources(Listener listener, Cluster cluster, long added,
      ClusterLoadAssignment endpoints, long endpointsVersion) {}

  /** Guarded by this, like everything below. */
  private final Map<String, ServiceResources> services = new HashMap<>();
  /** The requests waiting, each with a version it must not be answered with (or null). */
  private final Map<Watch, String> open = new LinkedHashMap<>();
  private long versions;

  /** Adds a service's listener and cluster; its load assignment follows with {@link #update}. */
  synchronized void add(String service) {
    if (services.containsKey(service)) {
      return;
    }
    services.put(service, new ServiceResources(XdsResources.listener(service),
        XdsResources.cluster(service), ++versions, null, 0));
    answerWaiting();
  }

  /** Sets a service's load assignment (a service not added is ignored: nobody asks for it). */
  synchronized void update(String service, ClusterLoadAssignment endpoints) {
    ServiceResources r = services.get(service);
    if (r == null) {
      return;
    }
    services.put(service, new ServiceResources(r.listener(), r.cluster(), r.added(), endpoints,
        ++versions));
    answerWaiting();
  }

  /** Forgets a service nobody asks for any more. */
  synchronized void remove(String service) {
    services.remove(service);
  }

  /** The services held, for tests and metrics. */
  synchronized Set<String> services() {
    return Set.copyOf(services.keySet());
  }

  @Override
  public Watch createWatch(boolean ads, XdsRequest request, Set<String> knownResourceNames,
      Consumer<Response> responseConsumer, boolean hasClusterChanged,
      boolean allowDefaultEmptyEdsUpdate) {
    Watch watch = new Watch(ads, allowDefaultEmptyEdsUpdate, request, responseConsumer);
    synchronized (this) {
      // A NACK (error_detail) rejected what it would be answered with now: resending the same
      // resources would only be rejected again, so it waits for a change.
      String rejected = request.hasErrorDetail() ? version(request) : null;
      if (!answer(watch, rejected)) {
        open.put(watch, rejected == null ? "" : rejected);
        watch.setStop(() -> forget(watch));
      }
    }
    return watch;
  }

  /** Incremental xDS is refused by the callbacks before it gets here; nothing is ever sent. */
  @Override
  public DeltaWatch createDeltaWatch(DeltaXdsRequest request, String requesterVersion,
      Map<String, String> resourceVersions, Set<String> pendingResources, boolean isWildcard,
      Consumer<DeltaResponse> responseConsumer, boolean hasClusterChanged) {
    return new DeltaWatch(request, resourceVersions, pendingResources, requesterVersion,
        isWildcard, responseConsumer);
  }

  private synchronized void forget(Watch watch) {
    open.remove(watch);
  }

  /**
   * Guarded by this. The version of what the request names, or null unless all of it is there (a
   * wildcard or an unsubscribe names nothing: gRPC's clients name what they want).
   */
  private String version(XdsRequest request) {
    ResourceType type = request.getResourceType();
    List<String> names = request.getResourceNamesList();
    if (names.isEmpty() || type == null) {
      return null;
    }
    StringBuilder version = new StringBuilder();
    for (String name : names) {
      ServiceResources r = services.get(name);
      if (resource(r, type) == null) {
        return null;
      }
      if (version.length() > 0) {
        version.append(',');
      }
      version.append(type == ResourceType.ENDPOINT ? r.endpointsVersion() : r.added());
    }
    return version.toString();
  }

  private static Message resource(ServiceResources r, ResourceType type) {
    return r == null ? null : switch (type) {
      case LISTENER -> r.listener();
      case CLUSTER -> r.cluster();
      case ENDPOINT -> r.endpoints();
      default -> null;
    };
  }

  /** Guarded by this. */
  private void answerWaiting() {
    open.entrySet().removeIf(e -> answer(e.getKey(), e.getValue()));
  }

  /**
   * Guarded by this. Answers the request when every resource it names is there and their versions
   * differ from what the client has; true when answered (or cancelled: nothing more to do).
   */
  private boolean answer(Watch watch, String rejected) {
    if (watch.isCancelled()) {
      return true;
    }
    XdsRequest request = watch.request();
    String version = version(request);
    if (version == null || version.equals(request.getVersionInfo()) || version.equals(rejected)) {
      return false; // not all there yet, or the client has these already: wait for a change
    }
    List<Message> resources = new ArrayList<>();
    for (String name : request.getResourceNamesList()) {
      resources.add(resource(services.get(name), request.getResourceType()));
    }
    try {
      watch.respond(Response.create(request, resources, version));
    } catch (WatchCancelledException e) {
      // The stream moved on meanwhile: its next request opens a new watch.
    }
    return true;
  }
}
