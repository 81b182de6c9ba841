package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.StatusRuntimeException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.node.BucketStats;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.PutRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: headless Chromium loads the page from a node that knows a few
 * others, holds records, serves traffic and has refused a call, and the test reads what the page
 * shows once its script has refreshed a few times. Leaves a screenshot in target/dashboard.png.
 * Skips, saying why, where no Chromium is installed (Debian: {@code apt-get install chromium};
 * .ci/run installs it).
 */
class DashboardBrowserTest {
  /** Markup in a string the node reports: the page must show it as text and run none of it. */
  private static final String NETWORK = "<img src=x id=injected onerror=alert(1)>&\"mesh\"";
  /** Three refreshes of the page (every 2 s), so that it has rates to draw. */
  private static final Duration BUDGET = Duration.ofMillis(5_000);
  private static final int PEERS = 4;

  @RegisterExtension final TestNodes nodes = new TestNodes();
  @TempDir Path work;

  @Test
  void dashboard_inChromium_showsTheNodeItsBucketsChartsPeersAndARefusedCall() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.find(work).orElse(null);
    Assumptions.assumeTrue(chromium != null,
        "no Chromium on the PATH or in KADMESH_CHROMIUM (Debian: apt-get install chromium)");
    NodeConfig config = NodeConfig.defaults().toBuilder().network(NETWORK).build();
    KadmeshServer node = nodes.start(config, b -> b.adminAddress("127.0.0.1:0"));
    List<KadmeshServer> peers = new ArrayList<>();
    for (int i = 0; i < PEERS; i++) {
      peers.add(nodes.start(config, b -> b.bootstrap(List.of(node.addresses().peer()))));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> node.node().routingTable().size() == PEERS);
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    for (int i = 0; i < 12; i++) {
      dht.put(PutRequest.newBuilder().setKey("key-" + i).setValue(ByteString.copyFromUtf8("value " + i)).build());
    }
    StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
        () -> dht.put(PutRequest.newBuilder().setKey("").setValue(ByteString.copyFromUtf8("x")).build()));
    URI page = URI.create("http://127.0.0.1:" + node.adminPort() + "/");

    Document shown;
    // Reads while the browser watches, so that the rates it computes have something to count.
    ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    try {
      traffic.scheduleWithFixedDelay(() -> nodes.dht(node).get(GetRequest.newBuilder().setKey("key-1").build()),
          0, 20, TimeUnit.MILLISECONDS);
      shown = Jsoup.parse(chromium.dumpDom(page, BUDGET));
      chromium.screenshot(page, Path.of("target", "dashboard.png"), 1280, 2000, BUDGET);
    } finally {
      traffic.shutdownNow();
      traffic.awaitTermination(5, TimeUnit.SECONDS);
    }

    assertThat(text(shown, "#node-id")).isEqualTo(node.node().self().id().toHex());
    assertThat(text(shown, "#network")).isEqualTo(NETWORK);
    assertThat(shown.getElementById("injected")).as("markup from the node was not run").isNull();
    assertThat(text(shown, "#serving")).isEqualTo("serving");
    assertThat(text(shown, "#contact-count")).isEqualTo(Integer.toString(PEERS));
    assertThat(text(shown, "#records")).isEqualTo(Long.toString(node.node().store().recordCount()));
    assertThat(text(shown, "#refresh-state")).startsWith("updated");

    // One bar per non-empty bucket, each as tall as its contacts.
    Set<String> bars = shown.select("#bucket-chart rect.bucket-bar").stream()
        .map(bar -> bar.attr("data-bucket") + ":" + bar.attr("data-contacts")).collect(Collectors.toSet());
    assertThat(bars).isEqualTo(node.node().bucketStats().stream()
        .map(b -> b.index() + ":" + b.contacts()).collect(Collectors.toSet()));
    assertThat(node.node().bucketStats().stream().mapToInt(BucketStats::contacts).sum()).isEqualTo(PEERS);

    // The latency histogram of the API calls has bars with data; lookups were counted too.
    assertThat(shown.select("[data-family=kadmesh_api_request_duration_seconds] rect.hist-bar"))
        .anySatisfy(bar -> assertThat(Long.parseLong(bar.attr("data-count"))).isPositive());
    assertThat(shown.select("[data-family=kadmesh_lookup_hops] rect.hist-bar")).isNotEmpty();
    // Rates: a line per series over at least two samples, and the Get the traffic sends is listed.
    assertThat(shown.select("#rate-chart polyline.rate-line")).hasSize(4)
        .allSatisfy(line -> assertThat(line.attr("points").split(" ").length).isGreaterThanOrEqualTo(2));
    Element get = shown.selectFirst("#methods tr[data-method=Get]");
    assertThat(get).isNotNull();
    assertThat(Double.parseDouble(get.selectFirst("td.rate").text())).isPositive();

    // The nodes it knows, with their addresses and when they last answered.
    assertThat(shown.select("#peers tr.peer")).hasSize(PEERS);
    for (KadmeshServer peer : peers) {
      assertThat(shown.select("#peers tr.peer td:eq(1)").eachText()).contains(peer.addresses().peer());
    }
    assertThat(shown.select("#peers tr.peer td:eq(3)").eachText()).allSatisfy(
        seen -> assertThat(seen).endsWith(" ago"));

    // The refused Put, with its status and message.
    Element failure = shown.selectFirst("#failures tr.failure");
    assertThat(failure).isNotNull();
    assertThat(failure.children().eachText()).containsSubsequence(
        "api", "Put", "INVALID_ARGUMENT", refused.getStatus().getDescription());

    Path screenshot = Path.of("target", "dashboard.png");
    assertThat(Files.size(screenshot)).isGreaterThan(20_000);
    assertThat(Files.readAllBytes(screenshot)).startsWith(0x89, 'P', 'N', 'G');
  }

  private static String text(Document page, String selector) {
    Element e = page.selectFirst(selector);
    assertThat(e).as(selector).isNotNull();
    return e.text();
  }
}
