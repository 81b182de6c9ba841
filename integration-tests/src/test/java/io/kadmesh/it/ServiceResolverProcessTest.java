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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * A grpc-java channel to {@code kadmesh://NODE/orders} against a `kadmesh node` process: backends
 * announced through the node's Dht API are reached with round_robin, a withdrawn one stops getting
 * calls, and a backend that stops leaves the channel working on the others.
 */
class ServiceResolverProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);

  @TempDir Path dir;

  private NodeProcess node;
  private ManagedChannel api;
  private DhtGrpc.DhtBlockingStub dht;
  private final List<NamedBackend> backends = new ArrayList<>();
  private ManagedChannel orders;

  @BeforeEach
  void startNode() throws Exception {
    node = NodeLauncher.start(JAR, dir.resolve("node"), List.of());
    api = KadmeshChannels.plaintext(node.apiAddress());
    dht = DhtGrpc.newBlockingStub(api);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (orders != null) {
      orders.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    backends.forEach(NamedBackend::close);
    api.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    node.close();
  }

  @Test
  void kadmeshTarget_reachesAnnouncedBackends_dropsAWithdrawnOne_andOutlivesAStoppedOne() throws Exception {
    NamedBackend alpha = backend("alpha");
    NamedBackend beta = backend("beta");
    NamedBackend gamma = backend("gamma");
    for (NamedBackend backend : backends) {
      announce("orders", backend);
    }

    orders =
        Grpc.newChannelBuilder("kadmesh://" + node.apiAddress() + "/orders", InsecureChannelCredentials.create())
            .defaultLoadBalancingPolicy("round_robin")
            .build();

    assertThat(namesReached(3)).containsExactlyInAnyOrder("alpha", "beta", "gamma");

    withdraw("orders", alpha);
    awaitNoneFrom("alpha");
    long alphaCalls = alpha.calls();
    Set<String> after = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      after.add(call());
    }
    assertThat(after).containsExactlyInAnyOrder("beta", "gamma");
    assertThat(alpha.calls()).isEqualTo(alphaCalls);

    // gamma stops without a withdrawal: round_robin skips its dead connection.
    alpha.close();
    gamma.close();
    awaitNoneFrom("gamma");
    for (int i = 0; i < 20; i++) {
      assertThat(call()).isEqualTo("beta");
    }
  }

  private NamedBackend backend(String name) {
    NamedBackend backend = NamedBackend.start(name);
    backends.add(backend);
    return backend;
  }

  private void announce(String service, NamedBackend backend) {
    dht.withDeadlineAfter(10, TimeUnit.SECONDS)
        .announce(
            AnnounceRequest.newBuilder()
                .setService(service)
                .setEndpoint(backend.address())
                .putMetadata("name", backend.name())
                .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(30))
                .build());
  }

  private void withdraw(String service, NamedBackend backend) {
    dht.withDeadlineAfter(10, TimeUnit.SECONDS)
        .withdraw(WithdrawRequest.newBuilder().setService(service).setEndpoint(backend.address()).build());
  }

  private String call() {
    return NamedBackend.callName(orders, CALL_DEADLINE);
  }

  /** Calls until {@code count} distinct backends answered, or {@link #WAIT} passed. */
  private Set<String> namesReached(int count) {
    Instant deadline = Instant.now().plus(WAIT);
    Set<String> names = new HashSet<>();
    while (names.size() < count && Instant.now().isBefore(deadline)) {
      String name = callAllowingUnavailable();
      if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  /** Calls until twenty answers in a row come from backends other than {@code name}, within {@link #WAIT}. */
  private void awaitNoneFrom(String name) {
    Instant deadline = Instant.now().plus(WAIT);
    int inARow = 0;
    while (inARow < 20) {
      assertThat(Instant.now()).as("no answer from " + name + " within " + WAIT).isBefore(deadline);
      String answer = callAllowingUnavailable();
      inARow = answer != null && !answer.equals(name) ? inARow + 1 : 0;
    }
  }

  /** A call's answer, or null while the channel has no backend it can reach. */
  private String callAllowingUnavailable() {
    try {
      return call();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
        throw e;
      }
      return null;
    }
  }
}
