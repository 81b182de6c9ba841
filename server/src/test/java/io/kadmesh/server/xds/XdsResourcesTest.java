package io.kadmesh.server.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.kadmesh.records.EndpointEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The resources gRPC's xDS clients are given, built and read back through the project's protobuf
 * 4.x runtime (java-control-plane's classes were generated for 3.x: this shows they work on it).
 */
class XdsResourcesTest {
  private static final byte[] ANNOUNCER = new byte[32];

  private static EndpointEntry entry(String address, Map<String, String> metadata) {
    return EndpointEntry.of("orders", address, metadata, ANNOUNCER);
  }

  @Test
  void listener_forAService_routesEverythingToItsClusterThroughTheRouterFilter() throws Exception {
    Listener listener = Listener.parseFrom(XdsResources.listener("orders").toByteArray());

    assertThat(listener.getName()).isEqualTo("orders");
    HttpConnectionManager manager =
        listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
    RouteConfiguration routes = manager.getRouteConfig();
    assertThat(routes.getVirtualHostsList()).singleElement().satisfies(host -> {
      assertThat(host.getDomainsList()).containsExactly("*");
      assertThat(host.getRoutesList()).singleElement().satisfies(route -> {
        assertThat(route.getMatch().getPrefix()).isEmpty();
        assertThat(route.getRoute().getCluster()).isEqualTo("orders");
      });
    });
    assertThat(manager.getHttpFiltersList()).singleElement().satisfies(filter -> {
      assertThat(filter.getName()).isEqualTo("envoy.filters.http.router");
      Any config = filter.getTypedConfig();
      assertThat(config.is(Router.class)).isTrue();
      assertThat(config.getTypeUrl())
          .isEqualTo("type.googleapis.com/envoy.extensions.filters.http.router.v3.Router");
    });
  }

  @Test
  void cluster_forAService_isEdsOverAdsWithRoundRobin() throws Exception {
    Cluster cluster = Cluster.parseFrom(XdsResources.cluster("orders").toByteArray());

    assertThat(cluster.getName()).isEqualTo("orders");
    assertThat(cluster.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(cluster.getEdsClusterConfig().getEdsConfig().hasAds()).isTrue();
    assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.ROUND_ROBIN);
  }

  @Test
  void loadAssignment_withZones_makesOneLocalityPerZoneWeightedByItsEndpoints() throws Exception {
    ClusterLoadAssignment cla = ClusterLoadAssignment.parseFrom(XdsResources.loadAssignment("orders",
        List.of(entry("10.0.0.1:80", Map.of("zone", "b", "weight", "3")),
            entry("10.0.0.2:80", Map.of("zone", "a")),
            entry("10.0.0.3:81", Map.of("zone", "b", "weight", "2")),
            entry("[::1]:82", Map.of()))).toByteArray());

    assertThat(cla.getClusterName()).isEqualTo("orders");
    assertThat(cla.getEndpointsList()).extracting(l -> l.getLocality().getZone())
        .containsExactly("", "a", "b");
    LocalityLbEndpoints none = cla.getEndpoints(0);
    assertThat(none.getLoadBalancingWeight().getValue()).isEqualTo(1);
    assertThat(address(none.getLbEndpoints(0))).isEqualTo("::1:82");
    LocalityLbEndpoints b = cla.getEndpoints(2);
    assertThat(b.getLoadBalancingWeight().getValue()).isEqualTo(5);
    assertThat(b.getLbEndpointsList()).extracting(XdsResourcesTest::address)
        .containsExactly("10.0.0.1:80", "10.0.0.3:81");
    assertThat(b.getLbEndpointsList()).extracting(e -> e.getLoadBalancingWeight().getValue())
        .containsExactly(3, 2);
    assertThat(cla.getEndpoints(1).getLoadBalancingWeight().getValue()).isEqualTo(1);
  }

  @Test
  void loadAssignment_ofAnEmptyService_hasNoLocalities() {
    ClusterLoadAssignment cla = XdsResources.loadAssignment("orders", List.of());

    assertThat(cla.getClusterName()).isEqualTo("orders");
    assertThat(cla.getEndpointsCount()).isZero();
  }

  @Test
  void loadAssignment_withOneAddressFromTwoAnnouncers_listsItOnce() {
    byte[] other = new byte[32];
    other[0] = 1;
    ClusterLoadAssignment cla = XdsResources.loadAssignment("orders", List.of(
        entry("10.0.0.1:80", Map.of()), EndpointEntry.of("orders", "10.0.0.1:80", Map.of(), other)));

    assertThat(cla.getEndpoints(0).getLbEndpointsCount()).isEqualTo(1);
  }

  @Test
  void weight_unusableOrTooLarge_isOneOrCut() {
    assertThat(XdsResources.weight(null)).isEqualTo(1);
    assertThat(XdsResources.weight("zero")).isEqualTo(1);
    assertThat(XdsResources.weight("0")).isEqualTo(1);
    assertThat(XdsResources.weight("-4")).isEqualTo(1);
    assertThat(XdsResources.weight(" 7 ")).isEqualTo(7);
    assertThat(XdsResources.weight("99999999999")).isEqualTo(XdsResources.MAX_WEIGHT);
  }

  private static String address(LbEndpoint e) {
    var socket = e.getEndpoint().getAddress().getSocketAddress();
    return socket.getAddress() + ":" + socket.getPortValue();
  }
}
