package io.kadmesh.it;

import static io.kadmesh.it.ProcessMesh.JAR;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.KadmeshChannels;
import io.kadmesh.client.testing.NamedBackend;
import io.kadmesh.proto.v1.AnnounceRequest;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.WithdrawRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC's own xDS clients against `kadmesh node` processes, no kadmesh code in the client: grpc-java
 * with grpc-xds, and Python's grpcio (examples/python/xds_client.py), each given the bootstrap that
 * `kadmesh xds-bootstrap` prints for node A, call {@code xds:///orders} and reach the backends
 * announced on A; a withdrawn one stops getting calls; one announced on node B appears. The update
 * latencies are printed (median of a few trials), not asserted.
 */
class XdsProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);
  private static final Path PYTHON_XDS = Path.of("../examples/python/xds_client.py");
  private static final int TRIALS = 3;

  @TempDir Path dir;

  private NodeProcess a;
  private NodeProcess b;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<NamedBackend> backends = new ArrayList<>();
  private Path bootstrap;

  @BeforeEach
  void startNodes() throws Exception {
    a = NodeLauncher.start(JAR, dir.resolve("a"), List.of());
    b = NodeLauncher.start(JAR, dir.resolve("b"), List.of("--bootstrap", a.peerAddress()));
    CommandRun printed = KadmeshCli.run("xds-bootstrap", "--target", a.apiAddress(),
        "--node-id", "xds-process-test");
    assertThat(printed.exit()).as(printed.toString()).isZero();
    bootstrap = Files.writeString(dir.resolve("xds-bootstrap.json"), printed.stdout());
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    backends.forEach(NamedBackend::close);
    b.close();
    a.close();
  }

  @Test
  void grpcJavaXdsClient_reachesAnnouncedBackends_followsWithdrawAndAnnounceOnAnotherNode()
      throws Exception {
    // grpc-java reads the bootstrap's path from this property when it makes its first xDS client.
    System.setProperty("io.grpc.xds.bootstrap", bootstrap.toString());
    DhtGrpc.DhtBlockingStub onA = dht(a);
    DhtGrpc.DhtBlockingStub onB = dht(b);
    NamedBackend alpha = backend("alpha");
    NamedBackend beta = backend("beta");
    announce(onA, alpha);
    announce(onA, beta);

    ManagedChannel orders = channel(Grpc.newChannelBuilder("xds:///orders",
        InsecureChannelCredentials.create()).build());

    assertThat(namesReached(orders, 2)).containsExactlyInAnyOrder("alpha", "beta");

    List<Long> withdrawMillis = new ArrayList<>();
    List<Long> announceMillis = new ArrayList<>();
    NamedBackend gamma = backend("gamma");
    for (int trial = 0; trial < TRIALS; trial++) {
      long withdrawn = System.nanoTime();
      withdraw(onA, alpha);
      withdrawMillis.add(millisUntilNoneFrom(orders, "alpha", withdrawn));
      long calls = alpha.calls();
      for (int i = 0; i < 20; i++) {
        assertThat(call(orders)).isEqualTo("beta");
      }
      assertThat(alpha.calls()).isEqualTo(calls);

      long announced = System.nanoTime();
      announce(onB, gamma);
      announceMillis.add(millisUntilReached(orders, "gamma", announced));
      withdraw(onB, gamma);
      millisUntilNoneFrom(orders, "gamma", System.nanoTime());
      announce(onA, alpha);
      millisUntilReached(orders, "alpha", System.nanoTime());
    }
    System.out.printf("xDS update latency (grpc-java, %d trials): withdraw on A -> no more calls: "
        + "median %d ms %s; announce on B -> first call: median %d ms %s%n", TRIALS,
        median(withdrawMillis), withdrawMillis, median(announceMillis), announceMillis);
  }

  @Test
  void pythonXdsClient_reachesBothAnnouncedBackends() throws Exception {
    String python = PythonExamples.interpreterFor(PYTHON_XDS, "python3-grpcio");
    DhtGrpc.DhtBlockingStub onA = dht(a);
    NamedBackend alpha = backend("alpha");
    NamedBackend beta = backend("beta");
    announce(onA, alpha);
    announce(onA, beta);

    CommandRun run = CommandRun.of(List.of("env", "GRPC_XDS_BOOTSTRAP=" + bootstrap,
        python, PYTHON_XDS.toString(), "orders", "--expect", "2"));

    System.out.print(run.stdout());
    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.stdout().lines().toList()).as(run.toString())
        .containsExactlyInAnyOrder("orders answered by alpha", "orders answered by beta");

    // The client's exit cancelled its ADS stream: node A says nothing of it above DEBUG, and no
    // stack trace (java-control-plane would log the cancel at INFO). Its exit flushes its log.
    a.close();
    assertThat(a.logText()).doesNotContain("[ERROR]", "stream cancelled", "\tat ");
  }

  private DhtGrpc.DhtBlockingStub dht(NodeProcess node) throws Exception {
    return DhtGrpc.newBlockingStub(channel(KadmeshChannels.plaintext(node.apiAddress())));
  }

  private ManagedChannel channel(ManagedChannel c) {
    channels.add(c);
    return c;
  }

  private NamedBackend backend(String name) {
    NamedBackend backend = NamedBackend.start(name);
    backends.add(backend);
    return backend;
  }

  private static void announce(DhtGrpc.DhtBlockingStub dht, NamedBackend backend) {
    dht.withDeadlineAfter(30, TimeUnit.SECONDS).announce(AnnounceRequest.newBuilder()
        .setService("orders").setEndpoint(backend.address())
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build());
  }

  private static void withdraw(DhtGrpc.DhtBlockingStub dht, NamedBackend backend) {
    dht.withDeadlineAfter(30, TimeUnit.SECONDS).withdraw(WithdrawRequest.newBuilder()
        .setService("orders").setEndpoint(backend.address()).build());
  }

  private static String call(ManagedChannel orders) {
    return NamedBackend.callName(orders, CALL_DEADLINE);
  }

  /** Calls until {@code count} distinct backends answered, within {@link #WAIT}. */
  private static Set<String> namesReached(ManagedChannel orders, int count) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Set<String> names = new HashSet<>();
    while (names.size() < count && System.nanoTime() < deadline) {
      String name = callAllowingUnavailable(orders);
      if (name != null) names.add(name);
    }
    return names;
  }

  /**
   * Calls until twenty answers in a row come from backends other than {@code name}; the
   * milliseconds from {@code since} to the first of those twenty.
   */
  private static long millisUntilNoneFrom(ManagedChannel orders, String name, long since) {
    long deadline = since + WAIT.toNanos();
    int inARow = 0;
    long runStarted = 0;
    while (inARow < 20) {
      assertThat(System.nanoTime()).as("calls still reach " + name + " after " + WAIT)
          .isLessThan(deadline);
      long before = System.nanoTime();
      String answer = callAllowingUnavailable(orders);
      if (answer != null && !answer.equals(name)) {
        if (inARow++ == 0) runStarted = before;
      } else {
        inARow = 0;
      }
    }
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(runStarted - since));
  }

  /** Calls until {@code name} answers; the milliseconds from {@code since} to that answer. */
  private static long millisUntilReached(ManagedChannel orders, String name, long since) {
    long deadline = since + WAIT.toNanos();
    while (true) {
      assertThat(System.nanoTime()).as("no call reached " + name + " within " + WAIT)
          .isLessThan(deadline);
      if (name.equals(callAllowingUnavailable(orders))) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
      }
    }
  }

  /**
   * A call's answer, or null while the channel has no backend it can reach (UNAVAILABLE), or is
   * still waiting for its first xDS answers (DEADLINE_EXCEEDED: the node's first xDS request loads
   * Envoy's API classes, seconds on a busy machine).
   */
  private static String callAllowingUnavailable(ManagedChannel orders) {
    try {
      return call(orders);
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      if (code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED) return null;
      throw e;
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
