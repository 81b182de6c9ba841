package io.kadmesh.server.xds;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.kadmesh.records.EndpointEntry;
import io.kadmesh.server.HostPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds the xDS resources of one service, the shapes gRPC's xDS clients accept: a Listener named
 * after the service whose {@code api_listener} routes everything to a Cluster of the same name, the
 * Cluster (EDS over ADS, round robin), and its ClusterLoadAssignment from the service's endpoints.
 * Pure: the same endpoints give the same resources.
 */
public final class XdsResources {
  /** The router filter, which gRPC requires last in the chain, with its typed config. */
  static final String ROUTER_FILTER = "envoy.filters.http.router";
  /** The endpoint metadata key whose value is the endpoint's zone (its xDS locality). */
  public static final String ZONE_KEY = "zone";
  /** The endpoint metadata key whose value is its load-balancing weight, 1 to {@link #MAX_WEIGHT}. */
  public static final String WEIGHT_KEY = "weight";
  /** The largest weight an endpoint may ask for; a larger one is cut to it. */
  public static final int MAX_WEIGHT = 10_000;

  private XdsResources() {}

  /** The Listener gRPC asks for by the target's name ({@code xds:///SERVICE}). */
  public static Listener listener(String service) {
    RouteConfiguration routes = RouteConfiguration.newBuilder()
        .setName(service)
        .addVirtualHosts(VirtualHost.newBuilder()
            .setName(service)
            .addDomains("*")
            .addRoutes(Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix(""))
                .setRoute(RouteAction.newBuilder().setCluster(service))))
        .build();
    HttpConnectionManager manager = HttpConnectionManager.newBuilder()
        .setRouteConfig(routes)
        .addHttpFilters(HttpFilter.newBuilder()
            .setName(ROUTER_FILTER)
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder()
        .setName(service)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(manager)))
        .build();
  }

  /** The Cluster the listener routes to: its endpoints come over the same ADS stream. */
  public static Cluster cluster(String service) {
    return Cluster.newBuilder()
        .setName(service)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
            .setEdsConfig(ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3)))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .build();
  }

  /**
   * The service's endpoints as xDS localities: one per {@code zone} (metadata; none is the empty
   * locality), in zone order; each endpoint once per address (the first entry wins), weighted by
   * its {@code weight} metadata (1 when absent or not a number from 1 up; cut to
   * {@link #MAX_WEIGHT}). A locality's weight is the sum of its endpoints': gRPC drops a locality of
   * weight 0, and this way traffic splits across zones as it would across the endpoints. No
   * endpoints gives an assignment with no localities, which tells the client the service is empty.
   */
  public static ClusterLoadAssignment loadAssignment(String service, List<EndpointEntry> endpoints) {
    Map<String, EndpointEntry> byAddress = new LinkedHashMap<>();
    for (EndpointEntry e : endpoints) {
      byAddress.putIfAbsent(e.address(), e);
    }
    Map<String, LocalityLbEndpoints.Builder> byZone = new TreeMap<>();
    Map<String, Long> zoneWeight = new TreeMap<>();
    for (EndpointEntry e : byAddress.values()) {
      HostPort address;
      try {
        address = HostPort.parse(e.address());
      } catch (IllegalArgumentException bad) {
        continue; // announced through an older node that did not check: no client could dial it
      }
      String zone = e.metadata().getOrDefault(ZONE_KEY, "");
      int weight = weight(e.metadata().get(WEIGHT_KEY));
      byZone.computeIfAbsent(zone, z -> LocalityLbEndpoints.newBuilder()
              .setLocality(Locality.newBuilder().setZone(z)))
          .addLbEndpoints(LbEndpoint.newBuilder()
              .setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
                  .setSocketAddress(SocketAddress.newBuilder()
                      .setAddress(address.host())
                      .setPortValue(address.port()))))
              .setHealthStatus(HealthStatus.HEALTHY)
              .setLoadBalancingWeight(UInt32Value.of(weight)));
      zoneWeight.merge(zone, (long) weight, Long::sum);
    }
    ClusterLoadAssignment.Builder assignment = ClusterLoadAssignment.newBuilder()
        .setClusterName(service);
    byZone.forEach((zone, locality) -> assignment.addEndpoints(locality
        .setLoadBalancingWeight(UInt32Value.of((int) Math.min(zoneWeight.get(zone), Integer.MAX_VALUE)))));
    return assignment.build();
  }

  /** An endpoint's weight from its metadata value: 1 to {@link #MAX_WEIGHT}, 1 when unusable. */
  static int weight(String value) {
    if (value == null) {
      return 1;
    }
    try {
      long w = Long.parseLong(value.trim());
      return w < 1 ? 1 : (int) Math.min(w, MAX_WEIGHT);
    } catch (NumberFormatException e) {
      return 1;
    }
  }
}
