package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.Scrape.counter;
import static io.kadmesh.server.grpc.Scrape.gauge;
import static io.kadmesh.server.grpc.Scrape.plainCounter;
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
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.time.Duration;
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
  private static final Duration WAIT = Duration.ofSeconds(10);

  @RegisterExtension final TestNodes nodes = new TestNodes();

  @Test
  void watchFamilies_afterAWatchOnOneNodeAndAPutOnTheOther_countStreamsSubscriptionsAndNotifications()
      throws Exception {
    KadmeshServer first = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("127.0.0.1:0"));
    KadmeshServer second = nodes.start(NodeConfig.defaults(),
        b -> b.adminAddress("127.0.0.1:0").bootstrap(List.of(first.addresses().peer())));
    await().atMost(WAIT).until(() -> first.node().routingTable().liveSize() == 1
        && second.node().routingTable().liveSize() == 1);
    Map<String, MetricFamily> before = Scrape.protobuf(second);
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
    await().atMost(WAIT).until(() -> Scrape.protobuf(first).containsKey("kadmesh_watch_notifications_total"));

    // Both nodes are among the k closest: the watcher subscribed to the other and to itself.
    Map<String, MetricFamily> watcher = Scrape.protobuf(second);
    Map<String, MetricFamily> replica = Scrape.protobuf(first);
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
    await().atMost(WAIT).until(() -> gauge(Scrape.protobuf(second), "kadmesh_watch_streams") == 0);
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
}
