package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.routing.ContactView;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.PutRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard's HTTP side on a node's admin port: the page's files, and {@code /api/status}
 * checked against the node's own state after known operations. What a browser makes of them is
 * {@link DashboardBrowserTest}'s.
 */
class DashboardEndpointTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void page_anditsFiles_areServedWithTheirTypes_andAPolicyAllowingNothingElse() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("127.0.0.1:0"));

    HttpResponse<String> page = get(node, "/");
    HttpResponse<String> script = get(node, "/dashboard.js");
    HttpResponse<String> style = get(node, "/dashboard.css");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"dashboard.js\"", "id=\"bucket-chart\"");
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
        policy -> assertThat(policy).startsWith("default-src 'self';"));
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
    assertThat(script.body()).contains("api/status");
    assertThat(style.statusCode()).isEqualTo(200);
    assertThat(style.headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    // The exporter's own paths stay where they were.
    assertThat(get(node, "/metrics").body()).contains("kadmesh_records");
  }

  @Test
  void unknownPath_isNotFound_andAWrite_isNotAllowed() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("127.0.0.1:0"));

    HttpResponse<String> missing = get(node, "/etc/passwd");
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(node, "/api/status"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.body()).doesNotContain("passwd");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void status_afterKnownOperations_agreesWithTheNode() throws Exception {
    KadmeshServer first = nodes.start(NodeConfig.defaults());
    KadmeshServer node = nodes.start(NodeConfig.defaults(),
        b -> b.adminAddress("127.0.0.1:0").bootstrap(List.of(first.addresses().peer())));
    await().atMost(Duration.ofSeconds(10)).until(() -> node.node().routingTable().size() == 1);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    dht.put(PutRequest.newBuilder().setKey("a").setValue(ByteString.copyFromUtf8("alpha")).build());
    dht.put(PutRequest.newBuilder().setKey("b").setValue(ByteString.copyFromUtf8("beta")).build());
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> dht.put(PutRequest.newBuilder().setKey("").setValue(ByteString.copyFromUtf8("x")).build()));

    HttpResponse<String> response = get(node, "/api/status");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
    JsonObject status = JsonParser.parseString(response.body()).getAsJsonObject();

    JsonObject info = status.getAsJsonObject("node");
    assertThat(info.get("id").getAsString()).isEqualTo(node.node().self().id().toHex());
    assertThat(info.get("network").getAsString()).isEqualTo(node.node().config().network());
    assertThat(info.get("peerAddress").getAsString()).isEqualTo(node.addresses().peer());
    assertThat(info.get("apiAddress").getAsString()).isEqualTo(node.addresses().api());
    assertThat(info.get("serving").getAsBoolean()).isTrue();
    Instant startedAt = Instant.parse(info.get("startedAt").getAsString());
    assertThat(Instant.parse(info.get("now").getAsString())).isAfterOrEqualTo(startedAt);

    JsonObject storage = status.getAsJsonObject("storage");
    assertThat(storage.get("records").getAsLong()).isEqualTo(node.node().store().recordCount()).isEqualTo(2);
    assertThat(storage.get("storedBytes").getAsLong()).isEqualTo(node.node().store().storedBytes());
    assertThat(storage.get("maxRecords").getAsLong()).isEqualTo(node.node().config().maxRecords());

    JsonObject routing = status.getAsJsonObject("routing");
    assertThat(routing.get("contacts").getAsInt()).isEqualTo(1);
    JsonObject bucket = routing.getAsJsonArray("buckets").get(0).getAsJsonObject();
    ContactView other = node.node().contactViews().get(0);
    assertThat(bucket.get("index").getAsInt()).isEqualTo(other.bucket());
    assertThat(bucket.get("contacts").getAsInt()).isEqualTo(1);

    JsonObject peers = status.getAsJsonObject("peers");
    assertThat(peers.get("total").getAsInt()).isEqualTo(1);
    JsonObject peer = peers.getAsJsonArray("listed").get(0).getAsJsonObject();
    assertThat(peer.get("id").getAsString()).isEqualTo(first.node().self().id().toHex());
    assertThat(peer.get("address").getAsString()).isEqualTo(first.addresses().peer());
    assertThat(peer.get("stale").getAsBoolean()).isFalse();
    // When it last answered: no later than the table says now (traffic may have refreshed it since).
    Instant latest = node.node().contactViews().get(0).lastSeen();
    assertThat(Instant.parse(peer.get("lastSeen").getAsString())).isBetween(startedAt, latest);

    JsonArray failures = status.getAsJsonArray("failures");
    assertThat(failures).hasSize(1);
    JsonObject failure = failures.get(0).getAsJsonObject();
    assertThat(failure.get("port").getAsString()).isEqualTo("api");
    assertThat(failure.get("method").getAsString()).isEqualTo("Put");
    assertThat(failure.get("code").getAsString()).isEqualTo("INVALID_ARGUMENT");
    assertThat(failure.get("message").getAsString()).isEqualTo(refused.getStatus().getDescription());

    JsonObject counters = status.getAsJsonObject("metrics").getAsJsonObject("counters");
    assertThat(value(counters.getAsJsonArray("kadmesh_api_requests_total"), "Put", "OK")).isEqualTo(2);
    assertThat(value(counters.getAsJsonArray("kadmesh_api_requests_total"), "Put", "INVALID_ARGUMENT")).isEqualTo(1);
    JsonObject putLatency = status.getAsJsonObject("metrics").getAsJsonObject("histograms")
        .getAsJsonArray("kadmesh_api_request_duration_seconds").get(0).getAsJsonObject();
    assertThat(putLatency.getAsJsonObject("labels").get("method").getAsString()).isEqualTo("Put");
    assertThat(putLatency.get("count").getAsLong()).isEqualTo(3);
    // Per-bucket counts, not cumulative: they add up to the count, the last bucket being +Inf.
    List<JsonElement> buckets = new ArrayList<>();
    putLatency.getAsJsonArray("buckets").forEach(buckets::add);
    assertThat(buckets.stream().mapToLong(b -> b.getAsJsonObject().get("count").getAsLong()).sum()).isEqualTo(3);
    assertThat(buckets.get(buckets.size() - 1).getAsJsonObject().get("le").getAsString()).isEqualTo("+Inf");
  }

  @Test
  void status_failuresOnThePeerPort_areListedWithTheirPort() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b.adminAddress("127.0.0.1:0"));
    // A FindValue for a key that is not 32 bytes: the peer port refuses it.
    FindValueRequest shortKey = FindValueRequest.newBuilder()
        .setHeader(PeerMessages.toolHeader())
        .setKey(ByteString.copyFromUtf8("short"))
        .build();
    assertThrows(StatusRuntimeException.class, () -> nodes.kademlia(node).findValue(shortKey));

    JsonArray failures = JsonParser.parseString(get(node, "/api/status").body()).getAsJsonObject()
        .getAsJsonArray("failures");

    assertThat(failures).hasSize(1);
    JsonObject failure = failures.get(0).getAsJsonObject();
    assertThat(failure.get("port").getAsString()).isEqualTo("peer");
    assertThat(failure.get("method").getAsString()).isEqualTo("FindValue");
    assertThat(failure.get("code").getAsString()).isEqualTo("INVALID_ARGUMENT");
  }

  private static double value(JsonArray points, String method, String code) {
    for (JsonElement e : points) {
      JsonObject labels = e.getAsJsonObject().getAsJsonObject("labels");
      if (labels.get("method").getAsString().equals(method) && labels.get("code").getAsString().equals(code)) {
        return e.getAsJsonObject().get("value").getAsDouble();
      }
    }
    throw new AssertionError("no " + method + " " + code + " in " + points);
  }

  private HttpResponse<String> get(KadmeshServer node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(node, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(KadmeshServer node, String path) {
    assertThat(node.adminPort()).isPositive();
    return URI.create("http://127.0.0.1:" + node.adminPort() + path);
  }
}
