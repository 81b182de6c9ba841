package io.kadmesh.server.xds;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.exception.RequestException;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kadmesh.records.EndpointEntry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns each ADS request into what its stream wants: the union of the names it last asked for as
 * listeners, clusters and load assignments, all of them service names. Per stream, not per node:
 * some clients (Python's) send their node only in a stream's first request. Refuses, closing the
 * stream with the status: a name that is not a service name (INVALID_ARGUMENT), more services than
 * the node watches (RESOURCE_EXHAUSTED), incremental xDS (UNIMPLEMENTED).
 *
 * <p>Logs how each stream ended, one line and no stack trace: a client's cancel at DEBUG, a refused
 * stream at INFO (the client's mistake, named by its status), any other error at WARN. The node
 * mutes java-control-plane's own stream logger ({@link XdsServer#LIBRARY_STREAM_LOGGER}) below DEBUG, which says
 * the same at ERROR with a stack trace for a refusal and at INFO for each cancel.
 */
final class XdsCallbacks implements DiscoveryServerCallbacks {
  private static final Logger log = LoggerFactory.getLogger(XdsCallbacks.class);
  private static final List<String> SERVICE_TYPES = List.of(Resources.V3.LISTENER_TYPE_URL,
      Resources.V3.CLUSTER_TYPE_URL, Resources.V3.ENDPOINT_TYPE_URL);

  private final ServiceWatches watches;
  /** Per stream, the names asked for by type; a stream's requests come one at a time. */
  private final Map<XdsStreams.Stream, Map<String, List<String>>> asked =
      new java.util.concurrent.ConcurrentHashMap<>();

  XdsCallbacks(ServiceWatches watches) {
    this.watches = watches;
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) throws RequestException {
    XdsStreams.Stream stream = XdsStreams.current();
    if (stream == null || !SERVICE_TYPES.contains(request.getTypeUrl())) {
      return; // routes and secrets are never named: the listener carries its routes inline
    }
    for (String name : request.getResourceNamesList()) {
      int bytes = name.getBytes(StandardCharsets.UTF_8).length;
      if (bytes < 1 || bytes > EndpointEntry.MAX_SERVICE_BYTES) {
        throw new RequestException(Status.INVALID_ARGUMENT.withDescription("resource_names: "
            + "a service name must be 1 to " + EndpointEntry.MAX_SERVICE_BYTES
            + " bytes of UTF-8, got " + bytes));
      }
    }
    Map<String, List<String>> byType = asked.computeIfAbsent(stream, s -> new HashMap<>());
    Map<String, List<String>> next = new HashMap<>(byType);
    next.put(request.getTypeUrl(), List.copyOf(request.getResourceNamesList()));
    Set<String> services = new HashSet<>();
    next.values().forEach(services::addAll);
    try {
      watches.want(stream, services);
    } catch (StatusRuntimeException e) {
      throw new RequestException(e.getStatus());
    }
    byType.clear();
    byType.putAll(next);
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request)
      throws RequestException {
    throw new RequestException(Status.UNIMPLEMENTED.withDescription(
        "incremental xDS is not served here: use state-of-the-world ADS"));
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    Status status = Status.fromThrowable(error);
    if (status.getCode() == Status.Code.CANCELLED) {
      log.debug("xDS stream {} cancelled by the client", streamId);
    } else if (error instanceof RequestException) {
      log.info("xDS stream {} refused: {}: {}", streamId, status.getCode(),
          status.getDescription());
    } else {
      log.warn("xDS stream {} ended with an error: {}: {}", streamId, status.getCode(),
          status.getDescription() != null ? status.getDescription() : error.toString());
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    log.debug("xDS stream {} closed by the client", streamId);
  }

  /** The stream has ended however it ended: forget what it asked for. */
  void ended(XdsStreams.Stream stream) {
    asked.remove(stream);
    watches.ended(stream);
  }
}
