package io.kadmesh.server.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.Response;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The cache's answers to requests: when it answers, with what version, and when it waits. */
class XdsResourceCacheTest {
  private final XdsResourceCache cache = new XdsResourceCache();
  private final List<Response> answers = new CopyOnWriteArrayList<>();

  private void ask(String type, String version, boolean nack, String... names) {
    DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(type)
        .addAllResourceNames(List.of(names)).setVersionInfo(version);
    if (nack) r.setErrorDetail(Status.newBuilder().setMessage("rejected"));
    cache.createWatch(true, XdsRequest.create(r.build()), Set.of(), answers::add, false, false);
  }

  @Test
  void request_forAServiceNotYetAdded_waitsAndIsAnsweredWhenItIs() {
    ask(Resources.V3.LISTENER_TYPE_URL, "", false, "orders");
    assertThat(answers).isEmpty();

    cache.add("orders");

    assertThat(answers).singleElement().satisfies(a -> assertThat(a.resources()).hasSize(1));
  }

  @Test
  void edsRequest_waitsForEveryServiceItNames_evenWhenAnotherChangesFirst() {
    cache.add("orders");
    cache.add("payments");
    ask(Resources.V3.ENDPOINT_TYPE_URL, "", false, "orders", "payments");

    cache.update("payments", XdsResources.loadAssignment("payments", List.of()));
    assertThat(answers).isEmpty();
    cache.update("orders", XdsResources.loadAssignment("orders", List.of()));

    assertThat(answers).singleElement().satisfies(a -> assertThat(a.resources()).hasSize(2));
  }

  @Test
  void ack_ofTheCurrentVersion_waitsForAChangeOfAServiceItNames() {
    cache.add("orders");
    cache.add("payments");
    cache.update("orders", XdsResources.loadAssignment("orders", List.of()));
    ask(Resources.V3.ENDPOINT_TYPE_URL, "", false, "orders");
    String version = answers.get(0).version();

    ask(Resources.V3.ENDPOINT_TYPE_URL, version, false, "orders");
    cache.update("payments", XdsResources.loadAssignment("payments", List.of()));
    assertThat(answers).hasSize(1);
    cache.update("orders", XdsResources.loadAssignment("orders", List.of()));

    assertThat(answers).hasSize(2);
    assertThat(answers.get(1).version()).isNotEqualTo(version);
  }

  @Test
  void nack_isNotAnsweredWithTheSameResourcesAgain_onlyAfterAChange() {
    cache.add("orders");
    cache.update("orders", XdsResources.loadAssignment("orders", List.of()));
    ask(Resources.V3.ENDPOINT_TYPE_URL, "", false, "orders");

    ask(Resources.V3.ENDPOINT_TYPE_URL, "", true, "orders");
    assertThat(answers).hasSize(1);
    cache.update("orders", XdsResources.loadAssignment("orders", List.of()));

    assertThat(answers).hasSize(2);
  }

  @Test
  void removedService_isNoLongerServed() {
    cache.add("orders");
    cache.remove("orders");

    ask(Resources.V3.CLUSTER_TYPE_URL, "", false, "orders");

    assertThat(answers).isEmpty();
    assertThat(cache.services()).isEmpty();
  }
}
