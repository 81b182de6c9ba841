package io.kadmesh.client.resolver;

import static io.kadmesh.client.resolver.ScriptedWatchDht.added;
import static io.kadmesh.client.resolver.ScriptedWatchDht.removed;
import static io.kadmesh.client.resolver.ScriptedWatchDht.resync;
import static io.kadmesh.client.resolver.ScriptedWatchDht.synced;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ChannelLogger;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolver.ResolutionResult;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import io.kadmesh.client.testing.InProcessNode;
import io.kadmesh.proto.v1.WatchRequest;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resolver on its own, against a scripted node on the in-process transport. */
class KadmeshNameResolverTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration SHORT_BACKOFF = Duration.ofMillis(20);
  private static final Duration LONG_BACKOFF = Duration.ofHours(1);

  private final ScriptedWatchDht dht = new ScriptedWatchDht();
  private final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
  private final SynchronizationContext syncContext =
      new SynchronizationContext((thread, failure) -> uncaught.add(failure));
  private final RecordingListener listener = new RecordingListener();
  private final List<String> dialled = new CopyOnWriteArrayList<>();
  private ScheduledExecutorService timer;
  private InProcessNode node;
  private KadmeshNameResolver resolver;

  @BeforeEach
  void serveNode() {
    node = InProcessNode.serve(dht);
    timer = Executors.newSingleThreadScheduledExecutor();
  }

  @AfterEach
  void stop() {
    if (resolver != null) {
      resolver.shutdown();
    }
    node.close();
    timer.shutdownNow();
    assertThat(uncaught).isEmpty();
  }

  private KadmeshNameResolver start(Duration backoff) {
    NameResolver.Args args =
        NameResolver.Args.newBuilder()
            .setDefaultPort(443)
            .setProxyDetector(address -> null)
            .setSynchronizationContext(syncContext)
            .setScheduledExecutorService(timer)
            .setServiceConfigParser(
                new NameResolver.ServiceConfigParser() {
                  @Override
                  public NameResolver.ConfigOrError parseServiceConfig(Map<String, ?> config) {
                    return NameResolver.ConfigOrError.fromConfig(config);
                  }
                })
            .setChannelLogger(new SilentLogger())
            .build();
    resolver =
        new KadmeshNameResolver(
            new KadmeshTarget("node.example:7700", "orders"),
            args,
            address -> {
              dialled.add(address);
              return node.newChannel();
            },
            new ReconnectBackoff(backoff, backoff, new Random(1)));
    resolver.start(listener);
    return resolver;
  }

  @Test
  void start_watchesTheServiceAtTheTargetNode() throws Exception {
    start(LONG_BACKOFF);

    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);

    assertThat(watch.request()).isEqualTo(WatchRequest.newBuilder().setService("orders").build());
    assertThat(dialled).containsExactly("node.example:7700");
    assertThat(resolver.getServiceAuthority()).isEqualTo("orders");
  }

  @Test
  void endpointsBeforeSynced_arePublishedOnlyAtSynced_asOneWholeSet() throws Exception {
    start(LONG_BACKOFF);
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);

    watch.send(added("10.0.0.1:80"), added("10.0.0.2:80"));
    assertThat(listener.events).isEmpty();
    watch.send(synced());

    assertThat(listener.nextAddresses()).containsExactly("10.0.0.1:80", "10.0.0.2:80");
    assertThat(listener.events).isEmpty();
  }

  @Test
  void changesAfterSynced_arePublishedOneByOne() throws Exception {
    start(LONG_BACKOFF);
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);
    watch.send(added("10.0.0.1:80"), synced());
    listener.nextAddresses();

    watch.send(added("10.0.0.2:80"));
    assertThat(listener.nextAddresses()).containsExactly("10.0.0.1:80", "10.0.0.2:80");
    watch.send(removed("10.0.0.1:80"));
    assertThat(listener.nextAddresses()).containsExactly("10.0.0.2:80");
  }

  @Test
  void emptySet_isReportedUnavailableNamingTheService() throws Exception {
    start(LONG_BACKOFF);
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);

    watch.send(synced());

    Status status = listener.nextFailure();
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("no endpoints announced for orders");
  }

  @Test
  void resync_keepsThePublishedSetUntilSynced_thenPublishesTheFreshOne() throws Exception {
    start(LONG_BACKOFF);
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);
    watch.send(added("10.0.0.1:80"), added("10.0.0.2:80"), synced());
    listener.nextAddresses();

    watch.send(resync(), added("10.0.0.3:80"));
    assertThat(listener.events).isEmpty();
    watch.send(synced());

    assertThat(listener.nextAddresses()).containsExactly("10.0.0.3:80");
  }

  @Test
  void streamFailure_isReported_andTheWatchReopensAfterTheBackoff() throws Exception {
    start(SHORT_BACKOFF);
    ScriptedWatchDht.Session first = dht.nextWatch(WAIT);
    first.send(added("10.0.0.1:80"), synced());
    listener.nextAddresses();

    first.fail(Status.UNAVAILABLE.withDescription("node restarting"));

    Status status = listener.nextFailure();
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).contains("orders", "node.example:7700", "node restarting");
    ScriptedWatchDht.Session second = dht.nextWatch(WAIT);
    second.send(added("10.0.0.2:80"), synced());
    assertThat(listener.nextAddresses()).containsExactly("10.0.0.2:80");
  }

  @Test
  void refresh_whileWaitingOutTheBackoff_reopensTheWatchAtOnce() throws Exception {
    start(LONG_BACKOFF);
    ScriptedWatchDht.Session first = dht.nextWatch(WAIT);
    first.fail(Status.UNAVAILABLE);
    listener.nextFailure();

    resolver.refresh();

    dht.nextWatch(WAIT);
  }

  @Test
  void refresh_whileTheWatchIsLive_opensNoSecondWatch() throws Exception {
    start(LONG_BACKOFF);
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);
    watch.send(added("10.0.0.1:80"), synced());
    listener.nextAddresses();

    resolver.refresh();
    // A change sent after the refresh reaching the listener shows the refresh was handled.
    watch.send(added("10.0.0.2:80"));
    listener.nextAddresses();

    assertThat(dht.pendingWatch()).isNull();
  }

  @Test
  void eventsOfAFailedStream_areIgnoredOnceItIsReplaced() throws Exception {
    start(SHORT_BACKOFF);
    ScriptedWatchDht.Session first = dht.nextWatch(WAIT);
    first.fail(Status.UNAVAILABLE);
    listener.nextFailure();
    ScriptedWatchDht.Session second = dht.nextWatch(WAIT);

    second.send(added("10.0.0.2:80"), synced());

    assertThat(listener.nextAddresses()).containsExactly("10.0.0.2:80");
  }

  @Test
  void shutdown_cancelsTheWatch() throws Exception {
    start(LONG_BACKOFF);
    ScriptedWatchDht.Session watch = dht.nextWatch(WAIT);

    resolver.shutdown();

    assertThat(watch.awaitCancelled(WAIT)).isTrue();
  }

  /** Keeps what the resolver reports, in order. */
  private static final class RecordingListener extends NameResolver.Listener2 {
    final BlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void onResult(ResolutionResult result) {
      events.add(result);
    }

    @Override
    public Status onResult2(ResolutionResult result) {
      events.add(result);
      return Status.OK;
    }

    @Override
    public void onError(Status error) {
      events.add(error);
    }

    Object next() throws InterruptedException {
      Object event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(event).as("a result within " + WAIT).isNotNull();
      return event;
    }

    List<String> nextAddresses() throws InterruptedException {
      Object event = next();
      assertThat(event).isInstanceOf(ResolutionResult.class);
      ResolutionResult result = (ResolutionResult) event;
      assertThat(result.getAddressesOrError().hasValue()).as(result.toString()).isTrue();
      return result.getAddressesOrError().getValue().stream()
          .map(EquivalentAddressGroup::getAddresses)
          .map(addresses -> (InetSocketAddress) addresses.get(0))
          .map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
          .toList();
    }

    Status nextFailure() throws InterruptedException {
      Object event = next();
      if (event instanceof ResolutionResult result) {
        assertThat(result.getAddressesOrError().hasValue()).as(result.toString()).isFalse();
        return result.getAddressesOrError().getStatus();
      }
      assertThat(event).isInstanceOf(Status.class);
      return (Status) event;
    }
  }

  private static final class SilentLogger extends ChannelLogger {
    @Override
    public void log(ChannelLogLevel level, String message) {}

    @Override
    public void log(ChannelLogLevel level, String messageFormat, Object... args) {}
  }
}
