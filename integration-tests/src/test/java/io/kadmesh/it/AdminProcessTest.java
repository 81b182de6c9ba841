package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kadmesh.client.ServiceEndpoint;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The operator's commands against `kadmesh node` processes: `kadmesh records` lists what a replica
 * holds with its reads counted, `kadmesh contacts` its routing table, and `kadmesh drain` takes a
 * node out of service (health, announcements) while its records stay readable after it dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminProcessTest {
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;
  private static final int NODES = 3;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ProcessMesh mesh;

  @BeforeAll
  static void startMesh() throws Exception {
    mesh = new ProcessMesh(List.of());
    mesh.startJoined(NODES);
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
        .until(() -> mesh.contacts(A) == NODES - 1 && mesh.contacts(B) == NODES - 1
            && mesh.contacts(C) == NODES - 1);
  }

  @AfterAll
  static void stopMesh() throws Exception {
    if (mesh != null) {
      mesh.closeAndDelete();
    }
  }

  @Test
  @Order(1)
  void records_onAReplica_listEveryKeyPutThroughAnother_withTheReadsOfAGetCounted()
      throws Exception {
    Map<String, String> values = new java.util.TreeMap<>();
    for (int i = 0; i < 5; i++) values.put("inventory-" + i, "value-" + i);
    mesh.putAll(values, () -> A);
    ok(cli("get", "inventory-0", "--target", api(C)));

    CommandRun run = ok(cli("records", "--all", "--limit", "2", "--json", "--target", api(C)));

    JsonObject out = JsonParser.parseString(run.stdout()).getAsJsonObject();
    Map<String, JsonObject> byKey = StreamSupport.stream(
            out.getAsJsonArray("records").spliterator(), false)
        .map(JsonElement::getAsJsonObject)
        .collect(Collectors.toMap(r -> r.get("key").getAsString(), r -> r));
    assertThat(out.getAsJsonArray("records")).hasSize(byKey.size()); // no record twice
    for (String key : values.keySet()) {
      assertThat(byKey).as("the records of node C").containsKey(sha256(key));
      assertThat(byKey.get(sha256(key)).get("kind").getAsString()).isEqualTo("plain");
    }
    JsonObject read = byKey.get(sha256("inventory-0"));
    assertThat(read.get("read_count").getAsLong()).isGreaterThanOrEqualTo(1);
    assertThat(read.get("last_read_at").isJsonNull()).isFalse();
    assertThat(out.get("next_page_token").getAsString()).isEmpty();

    CommandRun table = ok(cli("records", "--target", api(C)));
    assertThat(table.stdout().lines().findFirst().orElseThrow())
        .startsWith("KEY").contains("KIND", "BYTES", "VERSION", "EXPIRES", "LAST READ", "READS");
    assertThat(table.stdout()).contains(sha256("inventory-0").substring(0, 16));
  }

  @Test
  @Order(2)
  void contacts_listTheOtherNodesOfTheMesh() throws Exception {
    CommandRun run = ok(cli("contacts", "--json", "--target", api(A)));

    List<String> addresses = run.stdout().lines()
        .map(line -> JsonParser.parseString(line).getAsJsonObject().get("address").getAsString())
        .toList();
    assertThat(addresses).containsExactlyInAnyOrder(mesh.node(B).peerAddress(),
        mesh.node(C).peerAddress());
    CommandRun table = ok(cli("contacts", "--target", api(A)));
    assertThat(table.stdout()).contains(mesh.node(B).peerAddress(), mesh.node(C).peerAddress(),
        "2 contacts");
  }

  @Test
  @Order(3)
  void drain_turnsHealthNotServing_withdrawsTheNodesEndpoint_andItsRecordsOutliveIt()
      throws Exception {
    // Last (@Order): B is killed at the end.
    String service = "drained-svc";
    String endpoint = "192.0.2.77:8080";
    ok(cli("announce", service, endpoint, "--target", api(B)));
    awaitResolved(C, service, endpoint);
    Map<String, String> values = new java.util.TreeMap<>();
    for (int i = 0; i < 5; i++) values.put("drained-" + i, "kept-" + i);
    mesh.putAll(values, () -> B);
    assertThat(health(B)).isEqualTo(ServingStatus.SERVING);

    CommandRun drain = ok(cli("drain", "--timeout", "30s", "--target", api(B)));

    assertThat(drain.stdout().lines()).first().isEqualTo(
        "drained: health NOT_SERVING until the node stops");
    assertThat(drain.stdout()).contains("announcements: 1 withdrawn");
    assertThat(health(B)).isEqualTo(ServingStatus.NOT_SERVING);
    awaitResolved(C, service);
    assertThat(ok(cli("resolve", service, "--target", api(A))).stdout()).isEmpty();
    // Still answers reads until it stops.
    assertThat(ok(cli("get", "drained-0", "--target", api(B))).stdout()).isEqualTo("kept-0");

    mesh.kill(B);
    List<String> missing = new ArrayList<>();
    mesh.readThrough(A, values.keySet(), (key, found) -> {
      if (!found.equals(java.util.Optional.of(values.get(key)))) missing.add(key);
    });
    assertThat(missing).as("keys not readable through A after B was drained and killed").isEmpty();
  }

  private static ServingStatus health(int node) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forTarget(api(node)).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static List<ServiceEndpoint> awaitResolved(int node, String service, String... addresses) {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> mesh.client(node).resolve(service),
            found -> found.stream().map(ServiceEndpoint::address).toList()
                .equals(List.of(addresses)));
  }

  private static String sha256(String key) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  private static String api(int node) throws Exception {
    return mesh.node(node).apiAddress();
  }

  private static CommandRun cli(String... args) throws Exception {
    return KadmeshCli.run(args);
  }

  private static CommandRun ok(CommandRun run) {
    assertThat(run.exit()).as(run.toString()).isZero();
    return run;
  }
}
