package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kadmesh.client.ServiceEndpoint;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service mesh across `kadmesh node` processes, driven by the real CLI: `kadmesh announce`
 * through one node, `kadmesh resolve` and `kadmesh watch --service` through others, and what an
 * announcer's SIGKILL, SIGTERM and restart, or its endpoint's health, do to what they see.
 *
 * <p>One mesh serves every scenario, each on a service of its own: nodes A, B and C stay up; D is
 * the announcer that is killed and E the one that is stopped and restarted. Starting five JVMs once
 * instead of a mesh per scenario keeps the class short on busy machines. Waits poll with deadlines
 * through the Java client (a `kadmesh` run costs a JVM start); the CLI then confirms what is seen.
 */
class ServiceMeshProcessTest {
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;
  private static final int D = 3;
  private static final int E = 4;
  private static final int NODES = 5;
  /** How long a change may take to reach a resolver or a watcher. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static ProcessMesh mesh;
  private static String bootstrap;

  @BeforeAll
  static void startMesh() throws Exception {
    mesh = new ProcessMesh(List.of());
    long started = System.nanoTime();
    bootstrap = mesh.startJoined(NODES);
    // Every node reaches the others through the bootstrap node, which knows them all: a lookup from
    // any of them finds every replica without waiting for their own tables to fill.
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
      if (mesh.contacts(A) < NODES - 1) {
        return false;
      }
      for (int i = 1; i < NODES; i++) {
        if (mesh.contacts(i) < 1) {
          return false;
        }
      }
      return true;
    });
    System.out.printf("service mesh: %d nodes joined in %d ms%n", NODES,
        (System.nanoTime() - started) / 1_000_000);
  }

  @AfterAll
  static void stopMesh() throws Exception {
    if (mesh != null) {
      mesh.closeAndDelete();
    }
  }

  @Test
  void endpointAnnouncedThroughOneNode_resolvesThroughAnother_andAWatcherSeesAnotherAddedAndWithdrawn()
      throws Exception {
    String service = "orders";
    String first = "192.0.2.1:8080";
    String second = "192.0.2.2:8080";
    try (KadmeshWatch watcher = new KadmeshWatch("--service", service, "--target", api(C))) {
      // The first announcement runs while the watcher starts: it may see it as state or as a change.
      ok(cli("announce", service, first, "--meta", "zone=eu-1", "--meta", "weight=3",
          "--target", api(A)));
      watcher.awaitLine(WAIT, "SYNCED"::equals);
      awaitResolved(C, service, first);

      CompletableFuture<CommandRun> plain = async("resolve", service, "--target", api(C));
      CommandRun json = ok(cli("resolve", service, "--json", "--target", api(C)));
      assertThat(ok(plain.get()).stdout().lines()).containsExactly(first);
      assertThat(json.stdout().lines()).singleElement().satisfies(line -> assertThat(line)
          .contains("\"address\":\"" + first + "\"")
          .contains("\"metadata\":{\"weight\":\"3\",\"zone\":\"eu-1\"}"));
      watcher.awaitLine(WAIT, ("ADDED " + first + " weight=3 zone=eu-1")::equals);

      ok(cli("announce", service, second, "--target", api(B)));
      watcher.awaitLine(WAIT, ("ADDED " + second)::equals);
      ok(cli("withdraw", service, second, "--target", api(B)));
      watcher.awaitLine(WAIT, ("REMOVED " + second)::equals);

      awaitResolved(C, service, first);
      assertThat(changesOf(watcher, second)).containsExactly("ADDED", "REMOVED");
    }
  }

  @Test
  void announcerKilled_endpointWithTheMinimumTtl_vanishesAfterItsTtl_andTheWatcherSeesItRemoved()
      throws Exception {
    String service = "payments";
    String endpoint = "192.0.2.3:8080";
    try (KadmeshWatch watcher = new KadmeshWatch("--service", service, "--target", api(C))) {
      ok(cli("announce", service, endpoint, "--ttl", "5s", "--target", api(D)));
      watcher.awaitLine(WAIT, ("ADDED " + endpoint)::equals);
      awaitResolved(B, service, endpoint);

      mesh.kill(D); // SIGKILL: no withdrawal, no renewal; the entry lives out its TTL
      Instant killed = Instant.now();
      watcher.awaitLine(WAIT, ("REMOVED " + endpoint)::equals);
      awaitResolved(B, service);
      System.out.printf("service mesh: an announcer's 5 s entry vanished %d ms after its SIGKILL%n",
          Duration.between(killed, Instant.now()).toMillis());

      CommandRun resolve = ok(cli("resolve", service, "--target", api(B)));
      assertThat(resolve.stdout()).isEmpty();
      assertThat(resolve.stderr()).contains("no endpoints for " + service);
      assertThat(changesOf(watcher, endpoint)).containsExactly("ADDED", "REMOVED");
    }
  }

  @Test
  void announcerStoppedWithSigterm_withdrawsItsEndpointAtOnce_andRestartedOnItsDataDir_announcesItAgain()
      throws Exception {
    String service = "inventory";
    String endpoint = "192.0.2.4:8080";
    ok(cli("announce", service, endpoint, "--ttl", "5m", "--target", api(E)));
    ServiceEndpoint before = awaitResolved(C, service, endpoint).get(0);
    // Long-lived: should it vanish now, it was withdrawn, not expired.
    assertThat(before.expiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(4)));
    String peerAddress = mesh.node(E).peerAddress();

    mesh.stop(E); // SIGTERM: returns once the process has exited
    assertThat(mesh.node(E).exitedCleanly()).isTrue();
    CommandRun gone = ok(cli("resolve", service, "--target", api(C)));
    assertThat(gone.stdout()).as("resolve right after the announcer's SIGTERM").isEmpty();
    assertThat(Instant.now()).isBefore(before.expiresAt());

    mesh.restart(E, peerAddress, List.of("--bootstrap", bootstrap));
    ServiceEndpoint after = awaitResolved(C, service, endpoint).get(0);
    assertThat(after.announcerId()).isEqualTo(before.announcerId());
    assertThat(after.announcerKey()).isEqualTo(before.announcerKey());
  }

  @Test
  void healthCheckedEndpoint_isPublishedOnlyWhileItsServerAnswersServing() throws Exception {
    String service = "search";
    HealthStatusManager health = new HealthStatusManager();
    Server backend = NettyServerBuilder
        .forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
        .addService(health.getHealthService())
        .build()
        .start();
    String endpoint = "127.0.0.1:" + backend.getPort();
    try (KadmeshWatch watcher = new KadmeshWatch("--service", service, "--target", api(C))) {
      CommandRun announced = ok(cli("announce", service, endpoint, "--health-check",
          "--health-interval", "1s", "--target", api(A)));
      assertThat(announced.stdout()).startsWith("announced on ");
      awaitResolved(C, service, endpoint);
      watcher.awaitLine(WAIT, ("ADDED " + endpoint)::equals);

      health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
      awaitResolved(C, service);
      watcher.awaitLine(WAIT, ("REMOVED " + endpoint)::equals);

      health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
      awaitResolved(C, service, endpoint);
      watcher.awaitLines(WAIT, 2, ("ADDED " + endpoint)::equals);
      assertThat(ok(cli("resolve", service, "--target", api(C))).stdout().lines())
          .containsExactly(endpoint);
      assertThat(changesOf(watcher, endpoint)).containsExactly("ADDED", "REMOVED", "ADDED");
    } finally {
      backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String api(int node) throws Exception {
    return mesh.node(node).apiAddress();
  }

  /**
   * Resolves {@code service} through {@code node} until its live endpoints are exactly {@code
   * addresses} (none: until it has none), within {@link #WAIT}; answers them.
   */
  private static List<ServiceEndpoint> awaitResolved(int node, String service, String... addresses)
      throws Exception {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .alias("the endpoints of " + service + " through node " + node + " being "
            + List.of(addresses))
        .until(() -> mesh.client(node).resolve(service),
            found -> found.stream().map(ServiceEndpoint::address).toList()
                .equals(List.of(addresses)));
  }

  /**
   * What the watcher printed of {@code address}, in order, without UPDATED (each renewal of an entry
   * may print one): ADDED, REMOVED.
   */
  private static List<String> changesOf(KadmeshWatch watcher, String address) {
    return watcher.lines().stream()
        .filter(line -> isAbout(line, "ADDED", address) || isAbout(line, "REMOVED", address))
        .map(line -> line.substring(0, line.indexOf(' ')))
        .toList();
  }

  /** Whether {@code line} is {@code TYPE ADDRESS}, with or without metadata after it. */
  private static boolean isAbout(String line, String type, String address) {
    String prefix = type + " " + address;
    return line.equals(prefix) || line.startsWith(prefix + " ");
  }

  private static CommandRun cli(String... args) throws Exception {
    return KadmeshCli.run(args);
  }

  private static CompletableFuture<CommandRun> async(String... args) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return KadmeshCli.run(args);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static CommandRun ok(CommandRun run) {
    assertThat(run.exit()).as(run.toString()).isZero();
    return run;
  }
}
