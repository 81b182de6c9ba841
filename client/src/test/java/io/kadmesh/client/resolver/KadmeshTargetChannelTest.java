package io.kadmesh.client.resolver;

import static io.kadmesh.client.resolver.ScriptedWatchDht.added;
import static io.kadmesh.client.resolver.ScriptedWatchDht.removed;
import static io.kadmesh.client.resolver.ScriptedWatchDht.synced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kadmesh.client.testing.NamedBackend;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A channel to {@code kadmesh://NODE/orders} as an application builds it, through gRPC's resolver
 * registry, over Netty on 127.0.0.1: a scripted node streams the service's endpoints, and two
 * named backends show where round_robin sends the calls.
 */
class KadmeshTargetChannelTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(5);

  private final ScriptedWatchDht dht = new ScriptedWatchDht();
  private Server node;
  private NamedBackend alpha;
  private NamedBackend beta;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    node =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(dht)
            .build()
            .start();
    alpha = NamedBackend.start("alpha");
    beta = NamedBackend.start("beta");
    channel =
        Grpc.newChannelBuilder("kadmesh://127.0.0.1:" + node.getPort() + "/orders", InsecureChannelCredentials.create())
            .defaultLoadBalancingPolicy("round_robin")
            .build();
    // A channel resolves once it leaves idle: on its first call, or when asked to connect.
    channel.getState(true);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    alpha.close();
    beta.close();
    node.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void registry_knowsTheKadmeshScheme() {
    assertThat(NameResolverRegistry.getDefaultRegistry().getProviderForScheme("kadmesh"))
        .isInstanceOf(KadmeshNameResolverProvider.class);
  }

  @Test
  void registry_keepsDnsTheDefaultScheme_forTargetsWrittenWithoutOne() {
    assertThat(NameResolverRegistry.getDefaultRegistry().asFactory().getDefaultScheme()).isEqualTo("dns");
  }

  @Test
  void roundRobin_overTwoAnnouncedBackends_reachesBoth() throws Exception {
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);
    assertThat(watch.request().getService()).isEqualTo("orders");

    watch.send(added(alpha.address()), added(beta.address()), synced());

    assertThat(namesReachedWithin(WAIT, 2)).containsExactlyInAnyOrder("alpha", "beta");
  }

  @Test
  void removedEndpoint_getsNoMoreCalls() throws Exception {
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);
    watch.send(added(alpha.address()), added(beta.address()), synced());
    namesReachedWithin(WAIT, 2);

    watch.send(removed(alpha.address()));

    awaitOnly("beta");
    long alphaCalls = alpha.calls();
    for (int i = 0; i < 20; i++) {
      assertThat(call()).isEqualTo("beta");
    }
    assertThat(alpha.calls()).isEqualTo(alphaCalls);
  }

  @Test
  void serviceWithNoEndpoints_failsCallsUnavailableNamingTheService() throws Exception {
    dht.nextWatch(WAIT).send(synced());

    assertThatThrownBy(this::call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("no endpoints announced for orders");
            });
  }

  @Test
  void watchThatFails_isReopened_andTheChannelFollowsTheNewState() throws Exception {
    ScriptedWatchDht.Session first = dht.nextWatch(WAIT);
    first.send(added(alpha.address()), synced());
    awaitOnly("alpha");

    first.fail(Status.UNAVAILABLE.withDescription("node restarting"));
    // Meanwhile the channel keeps the endpoints it had.
    assertThat(call()).isEqualTo("alpha");
    ScriptedWatchDht.Session second = dht.nextWatch(WAIT);
    second.send(added(beta.address()), synced());

    awaitOnly("beta");
  }

  private String call() {
    return NamedBackend.callName(channel, CALL_DEADLINE);
  }

  /** Calls until {@code count} distinct backends answered, within {@code wait}. */
  private Set<String> namesReachedWithin(Duration wait, int count) {
    Instant deadline = Instant.now().plus(wait);
    Set<String> names = new HashSet<>();
    while (names.size() < count && Instant.now().isBefore(deadline)) {
      names.add(callAllowingUnavailable());
    }
    names.remove(null);
    return names;
  }

  /** Calls until ten answers in a row come from {@code name}, within {@link #WAIT}. */
  private void awaitOnly(String name) {
    Instant deadline = Instant.now().plus(WAIT);
    int inARow = 0;
    while (inARow < 10) {
      assertThat(Instant.now()).as("only " + name + " answers within " + WAIT).isBefore(deadline);
      inARow = name.equals(callAllowingUnavailable()) ? inARow + 1 : 0;
    }
  }

  /** A call's answer, or null while the channel has no endpoint it can reach yet. */
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
