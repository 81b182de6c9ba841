package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.Scrape.counter;
import static io.kadmesh.server.grpc.Scrape.gauge;
import static io.kadmesh.server.grpc.Scrape.labelsOf;
import static io.kadmesh.server.grpc.Scrape.metric;
import static io.kadmesh.server.grpc.Scrape.metricsUri;
import static io.kadmesh.server.grpc.Scrape.plainCounter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.node.BucketStats;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.PutRequest;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricFamily;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics.MetricType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Scrapes a node's admin port over HTTP after known operations and checks the figures against the
 * node's state. The scrape is parsed with the Prometheus client's own protobuf exposition classes,
 * not by matching strings.
 */
class MetricsEndpointTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void metrics_afterKnownCalls_agreeWithTheNode() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("127.0.0.1:0"));
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    dht.put(PutRequest.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("alpha")).build());
    dht.put(PutRequest.newBuilder().setKey("b").setValue(ByteString.copyFromUtf8("beta")).build());
    dht.get(GetRequest.newBuilder().setKey("a").build());
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> dht.put(PutRequest.newBuilder().setKey("").setValue(ByteString.copyFromUtf8("x")).build()));
    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    HealthGrpc.newBlockingStub(nodes.channel(node.addresses().peer()))
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)
        .check(HealthCheckRequest.getDefaultInstance());

    Map<String, MetricFamily> scraped = Scrape.protobuf(node);

    RecordStore store = node.node().store();
    assertThat(store.recordCount()).isEqualTo(2);
    assertThat(gauge(scraped, "kadmesh_records")).isEqualTo(store.recordCount());
    assertThat(gauge(scraped, "kadmesh_stored_bytes")).isEqualTo(store.storedBytes()).isPositive();
    assertThat(gauge(scraped, "kadmesh_routing_contacts")).isEqualTo(node.node().routingTable().size());
    assertThat(gauge(scraped, "kadmesh_routing_live_contacts")).isEqualTo(node.node().routingTable().liveSize());
    assertThat(gauge(scraped, "kadmesh_routing_replacements")).isZero();
    // A node alone has no contacts, so no bucket to report.
    assertThat(scraped).doesNotContainKey("kadmesh_routing_bucket_contacts");

    MetricFamily api = scraped.get("kadmesh_api_requests_total");
    assertThat(api.getType()).isEqualTo(MetricType.COUNTER);
    assertThat(counter(api, "method", "Put", "code", "OK")).isEqualTo(2);
    assertThat(counter(api, "method", "Put", "code", "INVALID_ARGUMENT")).isEqualTo(1);
    assertThat(counter(api, "method", "Get", "code", "OK")).isEqualTo(1);
    assertThat(api.getMetricList()).hasSize(3);

    MetricFamily apiLatency = scraped.get("kadmesh_api_request_duration_seconds");
    assertThat(apiLatency.getType()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(metric(apiLatency, "method", "Put").getHistogram().getSampleCount()).isEqualTo(3);
    assertThat(metric(apiLatency, "method", "Get").getHistogram().getSampleCount()).isEqualTo(1);

    MetricFamily peer = scraped.get("kadmesh_peer_requests_total");
    assertThat(counter(peer, "method", "Check", "code", "OK")).isEqualTo(1);
    assertThat(peer.getMetricList()).hasSize(1);

    // A node in a JVM shared with others reports no JVM metrics of its own.
    assertThat(scraped.keySet()).noneMatch(name -> name.startsWith("jvm_") || name.startsWith("process_"));
  }

  @Test
  void routingGauges_ofANodeThatJoined_agreeWithItsBuckets() throws Exception {
    KadmeshServer first = nodes.start(NodeConfig.defaults());
    KadmeshServer second = nodes.start(NodeConfig.defaults(),
        b -> b.adminAddress("127.0.0.1:0").bootstrap(List.of(first.addresses().peer())));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.node().routingTable().size() == 1);

    Map<String, MetricFamily> scraped = Scrape.protobuf(second);

    assertThat(gauge(scraped, "kadmesh_routing_contacts")).isEqualTo(1);
    assertThat(gauge(scraped, "kadmesh_routing_live_contacts")).isEqualTo(1);
    MetricFamily buckets = scraped.get("kadmesh_routing_bucket_contacts");
    assertThat(buckets.getType()).isEqualTo(MetricType.GAUGE);
    Map<String, Double> byBucket = new HashMap<>();
    for (Metric m : buckets.getMetricList()) {
      byBucket.put(labelsOf(m).get("bucket"), m.getGauge().getValue());
    }
    Map<String, Double> expected = new HashMap<>();
    for (BucketStats b : second.node().bucketStats()) {
      expected.put(Integer.toString(b.index()), (double) b.contacts());
    }
    assertThat(byBucket).isEqualTo(expected).hasSize(1);
  }

  @Test
  void lookupHistograms_ofANodeThatJoinedAndRead_countItsLookups() throws Exception {
    KadmeshServer first = nodes.start(NodeConfig.defaults());
    KadmeshServer second = nodes.start(NodeConfig.defaults(),
        b -> b.adminAddress("127.0.0.1:0").bootstrap(List.of(first.addresses().peer())));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.node().routingTable().size() == 1);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(second);
    dht.put(PutRequest.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("alpha")).build());
    dht.get(GetRequest.newBuilder().setKey("a").build());

    Map<String, MetricFamily> scraped = Scrape.protobuf(second);

    MetricFamily hops = scraped.get("kadmesh_lookup_hops");
    MetricFamily rpcs = scraped.get("kadmesh_lookup_rpcs");
    assertThat(hops.getType()).isEqualTo(MetricType.HISTOGRAM);
    assertThat(rpcs.getType()).isEqualTo(MetricType.HISTOGRAM);
    for (String type : List.of("find_node", "find_value")) {
      var h = metric(hops, "type", type).getHistogram();
      var r = metric(rpcs, "type", type).getHistogram();
      // Every lookup here asks the one other node, which answers: one hop, at least one request.
      assertThat(h.getSampleCount()).as(type).isPositive().isEqualTo(r.getSampleCount());
      assertThat(h.getSampleSum()).as(type).isEqualTo(h.getSampleCount());
      assertThat(r.getSampleSum()).as(type).isGreaterThanOrEqualTo(r.getSampleCount());
    }
    assertThat(hops.getMetricList()).hasSize(2);
  }

  @Test
  void peerClientRequests_ofANodeThatJoinedAndWrote_areCountedByMethodAndCode() throws Exception {
    KadmeshServer first = nodes.start(NodeConfig.defaults());
    KadmeshServer second = nodes.start(NodeConfig.defaults(),
        b -> b.adminAddress("127.0.0.1:0").bootstrap(List.of(first.addresses().peer())));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.node().routingTable().size() == 1);
    nodes.dht(second).put(PutRequest.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("alpha")).build());

    Map<String, MetricFamily> scraped = Scrape.protobuf(second);

    MetricFamily sent = scraped.get("kadmesh_peer_client_requests_total");
    assertThat(sent.getType()).isEqualTo(MetricType.COUNTER);
    // The join pinged the bootstrap address and looked itself up; the put stored on the other node.
    assertThat(counter(sent, "method", "Ping", "code", "OK")).isPositive();
    assertThat(counter(sent, "method", "FindNode", "code", "OK")).isPositive();
    assertThat(counter(sent, "method", "Store", "code", "OK")).isPositive();
    assertThat(sent.getMetricList()).allSatisfy(m -> assertThat(labelsOf(m).get("code")).isEqualTo("OK"));
    MetricFamily latency = scraped.get("kadmesh_peer_client_request_duration_seconds");
    assertThat(latency.getType()).isEqualTo(MetricType.HISTOGRAM);
    assertThat((double) metric(latency, "method", "Store").getHistogram().getSampleCount())
        .isEqualTo(counter(sent, "method", "Store", "code", "OK"));
  }

  @Test
  void upkeepCounters_afterHandOffRepublishAndReadRepair_countTheRecords() throws Exception {
    NodeConfig config = NodeConfig.defaults().toBuilder().republishInterval(Duration.ofSeconds(1)).build();
    KadmeshServer first = nodes.start(config, b -> b.adminAddress("127.0.0.1:0"));
    nodes.dht(first).put(PutRequest.newBuilder().setKey("r").setValue(ByteString.copyFromUtf8("v1")).build());
    KadmeshServer second = nodes.start(config,
        b -> b.adminAddress("127.0.0.1:0").bootstrap(List.of(first.addresses().peer())));

    // The newcomer is among the k closest to every key: the first node hands it the record, and
    // both republish what they hold every second. A node skips a record a peer stored on it within
    // the interval (the paper's §2.5 saving), so whichever round runs first may silence the
    // other's: the republish is counted on one of the two, not always the first.
    await().atMost(Duration.ofSeconds(10)).until(
        () -> plainCounter(Scrape.protobuf(first), "kadmesh_handed_off_records_total") >= 1);
    await().atMost(Duration.ofSeconds(10)).until(
        () -> plainCounter(Scrape.protobuf(first), "kadmesh_republished_records_total")
            + plainCounter(Scrape.protobuf(second), "kadmesh_republished_records_total") >= 1);

    // A newer version only the first node holds: a read through it finds the second behind.
    NodeId key = first.node().keyOf("r");
    ValueRecord held = first.node().store().get(key, Instant.now()).orElseThrow();
    first.node().store().put(ValueRecord.value(key, "v2".getBytes(StandardCharsets.UTF_8),
        new Version(held.version().sequence() + 1, held.version().writer()), held.expiresAt()));
    nodes.dht(first).get(GetRequest.newBuilder().setKey("r").build());
    await().atMost(Duration.ofSeconds(10)).until(
        () -> plainCounter(Scrape.protobuf(first), "kadmesh_read_repairs_total") >= 1);
    assertThat(second.node().store().get(key, Instant.now())).hasValueSatisfying(
        r -> assertThat(r.version().sequence()).isEqualTo(held.version().sequence() + 1));
  }

  @Test
  void storeRefusals_byReason_areCounted() throws Exception {
    NodeConfig config = NodeConfig.defaults().toBuilder().maxRecords(1).maxRecordsPerPeer(1).build();
    KadmeshServer node = nodes.start(config, b -> b.adminAddress("127.0.0.1:0"));
    nodes.dht(node).put(PutRequest.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("alpha")).build());
    Instant now = Instant.now();
    NodeId other = node.node().keyOf("b");
    Version version = node.node().store().get(node.node().keyOf("a"), now).orElseThrow().version();
    byte[] value = "beta".getBytes(StandardCharsets.UTF_8);

    assertThrows(DhtException.class, () -> node.node().handleStore(null,
        ValueRecord.value(other, value, version, now.plus(Duration.ofDays(3650)))));
    assertThrows(DhtException.class, () -> node.node().handleStore(null,
        ValueRecord.value(other, value, version, now.plus(Duration.ofHours(1)))));

    MetricFamily refusals = Scrape.protobuf(node).get("kadmesh_store_refusals_total");
    assertThat(refusals.getType()).isEqualTo(MetricType.COUNTER);
    assertThat(counter(refusals, "reason", "invalid")).isEqualTo(1);
    assertThat(counter(refusals, "reason", "full")).isEqualTo(1);
    assertThat(refusals.getMetricList()).hasSize(2);
  }


  @Test
  void metrics_byDefault_areTheTextFormat() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("127.0.0.1:0"));

    HttpResponse<String> response = http.send(HttpRequest.newBuilder(metricsUri(node)).GET().build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
  }

  @Test
  void jvmMetrics_whenAsked_areServedBesideTheNodes() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults(),
        b -> b.adminAddress("127.0.0.1:0").jvmMetrics(true));

    Map<String, MetricFamily> scraped = Scrape.protobuf(node);

    assertThat(scraped).containsKeys("jvm_memory_used_bytes", "jvm_threads_current", "kadmesh_records");
    assertThat(scraped.keySet()).anyMatch(name -> name.startsWith("process_"));
  }

  @Test
  void adminPort_offOrUnset_servesNothing() {
    KadmeshServer unset = nodes.start(NodeConfig.defaults());
    KadmeshServer off = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("off"));

    assertThat(unset.adminPort()).isEqualTo(-1);
    assertThat(off.adminPort()).isEqualTo(-1);
  }
}
