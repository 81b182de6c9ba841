package io.kadmesh.server.xds;

import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.kadmesh.core.node.KademliaNode;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The node as an xDS control plane: {@code envoy.service.discovery.v3.AggregatedDiscoveryService}
 * (state-of-the-world ADS) for the API port, so that gRPC's own xDS clients in any language resolve
 * {@code xds:///SERVICE} through the node beside them. For each service a client names it serves a
 * listener, a cluster and the service's endpoints, kept current by the node's watch of the service
 * (see {@link ServiceWatches}). A service's endpoints are first sent once its watch has synced
 * (the node's first lookup of it), an empty assignment when nobody announces it.
 */
public final class XdsServer implements AutoCloseable {
  /** The name of the service {@link #bindService} serves: a constant, so naming it loads nothing. */
  public static final String SERVICE_NAME = AggregatedDiscoveryServiceGrpc.SERVICE_NAME;

  /**
   * java-control-plane's logger of stream events, which the node mutes below DEBUG: it logs a
   * refused stream at ERROR with a stack trace and each client's cancel at INFO, where the node
   * logs one line of its own per stream that ends in error.
   */
  public static final String LIBRARY_STREAM_LOGGER =
      "io.envoyproxy.controlplane.server.DiscoveryServer";

  private final ExecutorService serial;
  private final ServiceWatches watches;
  private final XdsStreams streams;
  private final ServerServiceDefinition service;

  /**
   * Serves {@code node}'s services, watching at most {@code maxServices} at once (a request beyond
   * it ends its stream RESOURCE_EXHAUSTED).
   */
  public XdsServer(KademliaNode node, int maxServices) {
    this(EndpointSource.of(node), maxServices);
  }

  XdsServer(EndpointSource source, int maxServices) {
    this.serial = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "kadmesh-xds");
      t.setDaemon(true);
      return t;
    });
    XdsResourceCache cache = new XdsResourceCache();
    this.watches = new ServiceWatches(source, cache, serial, maxServices);
    XdsCallbacks callbacks = new XdsCallbacks(watches);
    this.streams = new XdsStreams(callbacks::ended);
    V3DiscoveryServer discovery = new V3DiscoveryServer(callbacks, cache);
    this.service = ServerInterceptors.intercept(
        discovery.getAggregatedDiscoveryServiceImpl().bindService(), streams);
  }

  /** The ADS service, to add to the API port's server. */
  public ServerServiceDefinition bindService() {
    return service;
  }

  /** How many services are watched for xDS clients now. */
  public int watchedServices() {
    return watches.watched();
  }

  /**
   * Ends every ADS stream with UNAVAILABLE, as the node's Watch streams end: a stream never ends by
   * itself and would hold a graceful shutdown for its whole grace period. Clients reconnect to
   * another control plane, or to this node once it is back.
   */
  public void endStreams() {
    streams.endAll(Status.UNAVAILABLE.withDescription("the node is shutting down"));
  }

  /** Ends the streams, stops every watch and the thread that applied their events. Idempotent. */
  @Override
  public void close() {
    endStreams();
    watches.close();
    serial.shutdown();
    try {
      if (!serial.awaitTermination(5, TimeUnit.SECONDS)) {
        serial.shutdownNow();
      }
    } catch (InterruptedException e) {
      serial.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
