package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchEventType;
import io.kadmesh.proto.v1.WatchRequest;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watch families on the admin port after known Watch work: a stream on one node, a write on
 * the other. Parsed with the Prometheus client's protobuf exposition classes, as
 * {@link MetricsEndpointTest} does.
 */
class WatchMetricsEndpointTest {
  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void watchFamilies_afterAWatchOnOneNodeAndAPutOnTheOther_countStreamsSubscriptionsAndNotifications()
      throws Exception {
    KadmeshServer first = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("127.0.0.1:0"));
    KadmeshServer second = nodes.start(NodeConfig.defaults(),
        b -> b.adminAddress("127.0.0.1:0").bootstrap(List.of(first.addresses().peer())));
    await().atMost(WAIT).until(() -> first.node().routingTable().liveSize() == 1
        && second.node().routingTable().liveSize() == 1);
    Map<String, MetricFamily> before = scrape(second);
    assertThat(gauge(before, "kadmesh_watch_streams")).isZero();
    assertThat(gauge(before, "kadmesh_watch_subscriptions")).isZero();

    List<String> events = new CopyOnWriteArrayList<>();
    Context.CancellableContext watching = Context.current().withCancellation();
    watching.run(() -> DhtGrpc.newStub(nodes.channel(second.addresses().api()))
        .watch(WatchRequest.newBuilder().setKey("shared").build(), new Events(events)));
    await().atMost(WAIT).until(() -> events.contains("SYNCED"));
    nodes.dht(first).put(PutRequest.newBuilder().setKey("shared")
        .setValue(ByteString.copyFromUtf8("v1")).build());
    await().atMost(WAIT).until(() -> events.contains("VALUE"));
    // The watcher may hear the value through its own replica before the other's call completes.
    await().atMost(WAIT).until(() -> scrape(first).containsKey("kadmesh_watch_notifications_total"));

    // Both nodes are among the k closest: the watcher subscribed to the other and to itself.
    Map<String, MetricFamily> watcher = scrape(second);
    Map<String, MetricFamily> replica = scrape(first);
    assertThat(gauge(watcher, "kadmesh_watch_streams")).isEqualTo(1);
    assertThat(gauge(replica, "kadmesh_watch_streams")).isZero();
    assertThat(gauge(replica, "kadmesh_watch_subscriptions"))
        .isEqualTo(first.node().watchSubscriptions()).isEqualTo(1);
    assertThat(gauge(watcher, "kadmesh_watch_subscriptions"))
        .isEqualTo(second.node().watchSubscriptions()).isEqualTo(1);
    // The put's replica on the first node notified the watcher once; nothing failed or was dropped.
    MetricFamily notified = replica.get("kadmesh_watch_notifications_total");
    assertThat(notified.getType()).isEqualTo(MetricType.COUNTER);
    assertThat(counter(notified, "result", "sent")).isEqualTo(1);
    assertThat(notified.getMetricList()).hasSize(1);
    assertThat(plainCounter(watcher, "kadmesh_watch_resyncs_total")).isZero();

    watching.cancel(null);
    await().atMost(WAIT).until(() -> gauge(scrape(second), "kadmesh_watch_streams") == 0);
  }

  /** A Watch stream's events, by type name (VALUE, DELETED, SYNCED, RESYNC). */
  private record Events(List<String> seen) implements StreamObserver<WatchEvent> {
    @Override
    public void onNext(WatchEvent e) {
      seen.add(e.getType() == WatchEventType.WATCH_EVENT_TYPE_VALUE ? "VALUE"
          : e.getType().name().substring("WATCH_EVENT_TYPE_".length()));
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}
  }

  private Map<String, MetricFamily> scrape(KadmeshServer node) throws Exception {
    assertThat(node.adminPort()).isPositive();
    HttpResponse<InputStream> response = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + "/metrics"))
            .header("Accept", PROTOBUF).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    Map<String, MetricFamily> families = new HashMap<>();
    try (InputStream in = response.body()) {
      MetricFamily family;
      while ((family = MetricFamily.parseDelimitedFrom(in)) != null) {
        families.put(family.getName(), family);
      }
    }
    return families;
  }

  private static double gauge(Map<String, MetricFamily> scraped, String name) {
    MetricFamily family = scraped.get(name);
    assertThat(family).as(name + " among " + scraped.keySet()).isNotNull();
    assertThat(family.getType()).isEqualTo(MetricType.GAUGE);
    assertThat(family.getMetricList()).hasSize(1);
    return family.getMetric(0).getGauge().getValue();
  }

  private static double plainCounter(Map<String, MetricFamily> scraped, String name) {
    MetricFamily family = scraped.get(name);
    assertThat(family).as(name + " among " + scraped.keySet()).isNotNull();
    assertThat(family.getType()).isEqualTo(MetricType.COUNTER);
    return family.getMetric(0).getCounter().getValue();
  }

  private static double counter(MetricFamily family, String label, String value) {
    List<Metric> matching = family.getMetricList().stream()
        .filter(m -> labelsOf(m).equals(Map.of(label, value)))
        .toList();
    assertThat(matching).as(family.getName() + " " + label + "=" + value + " in " + family).hasSize(1);
    return matching.get(0).getCounter().getValue();
  }

  private static Map<String, String> labelsOf(Metric metric) {
    Map<String, String> labels = new HashMap<>();
    for (LabelPair pair : metric.getLabelList()) {
      labels.put(pair.getName(), pair.getValue());
    }
    return labels;
  }
}
