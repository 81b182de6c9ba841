package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.PutRequest;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code KadmeshServer.Builder.metrics}: the same work on two joined nodes fills the registry when
 * metrics are on and leaves it empty when they are off.
 */
class MetricsSwitchTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();

  @Test
  void registry_withMetricsOn_holdsTheFiguresOfTheWork() {
    MetricSnapshots scraped = workOnTwoNodes(true).metricsRegistry().scrape();

    assertThat(names(scraped)).contains("kadmesh_api_requests", "kadmesh_peer_requests",
        "kadmesh_peer_client_requests", "kadmesh_lookup_hops", "kadmesh_records",
        "kadmesh_routing_contacts");
  }

  @Test
  void registry_withMetricsOff_staysEmptyAfterTheSameWork() {
    KadmeshServer second = workOnTwoNodes(false);

    assertThat(second.metricsRegistry().scrape()).isEmpty();
    // The work was done: metrics off changes nothing else.
    assertThat(second.node().routingTable().size()).isEqualTo(1);
  }

  @Test
  void build_withMetricsOffAndAnAdminAddress_isRefusedNamingBoth() {
    String peer = TestNodes.address("peer");
    String api = TestNodes.address("api");
    KadmeshServer.Builder builder = KadmeshServer.builder()
        .peerServer(InProcessEndpoints.server(peer), peer)
        .apiServer(InProcessEndpoints.server(api), api)
        .channelFactory(InProcessEndpoints.peerChannels())
        .metrics(false)
        .adminAddress("127.0.0.1:0");

    assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("admin address 127.0.0.1:0").hasMessageContaining("metrics off");
  }

  /**
   * Two nodes with metrics {@code on} or off, the second joined through the first, then a put and
   * a get through the second's API port and a health check on its peer port: calls on both ports,
   * peer requests, lookups, a stored record. Returns the second.
   */
  private KadmeshServer workOnTwoNodes(boolean on) {
    KadmeshServer first = nodes.start(NodeConfig.defaults(), b -> b.metrics(on));
    KadmeshServer second = nodes.start(NodeConfig.defaults(),
        b -> b.metrics(on).bootstrap(List.of(first.addresses().peer())));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.node().routingTable().size() == 1);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(second);
    dht.put(PutRequest.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("alpha")).build());
    assertThat(dht.get(GetRequest.newBuilder().setKey("a").build()).getValue().toStringUtf8())
        .isEqualTo("alpha");
    HealthGrpc.newBlockingStub(nodes.channel(second.addresses().peer()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());
    return second;
  }

  private static Set<String> names(MetricSnapshots scraped) {
    return scraped.stream().filter(s -> !s.getDataPoints().isEmpty())
        .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
  }
}
