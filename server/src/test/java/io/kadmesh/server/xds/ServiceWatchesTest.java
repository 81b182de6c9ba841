package io.kadmesh.server.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.watch.WatchEvent;
import io.kadmesh.core.watch.WatchListener;
import io.kadmesh.records.Ed25519Keys;
import io.kadmesh.records.EndpointEntry;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of which services are watched for xDS clients, over a fake endpoint source and
 * an executor the test runs by hand (nothing happens until it drains the queue).
 */
class ServiceWatchesTest {
  private static final KeyPair KEY = Ed25519Keys.generate();
  private static final Instant EXPIRES = Instant.parse("2100-01-01T00:00:00Z");

  /** Runs what was queued only when the test says so. */
  private static final class ManualExecutor implements Executor {
    final Queue<Runnable> queue = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      queue.add(task);
    }

    void drain() {
      Runnable r;
      while ((r = queue.poll()) != null) r.run();
    }
  }

  /** A fake source: the listeners of the watches it runs, by service; the ones it closed. */
  private static final class FakeSource implements EndpointSource {
    final Map<String, WatchListener> running = new HashMap<>();
    final List<String> started = new ArrayList<>();

    @Override
    public AutoCloseable watch(String service, WatchListener listener) {
      started.add(service);
      running.put(service, listener);
      return () -> running.remove(service, listener);
    }

    void tell(String service, WatchEvent event) {
      running.get(service).onEvent(event);
    }
  }

  private final ManualExecutor serial = new ManualExecutor();
  private final FakeSource source = new FakeSource();
  private final XdsResourceCache cache = new XdsResourceCache();
  private final ServiceWatches watches = new ServiceWatches(source, cache, serial, 2);
  private final Object streamA = new Object();
  private final Object streamB = new Object();

  private static WatchEvent added(String service, String address) {
    ValueRecord r = EndpointRecords.sign(EndpointEntry.of(service, address, Map.of(), new byte[32]),
        1, EXPIRES, false, KEY);
    return new WatchEvent(WatchEvent.Type.ENDPOINT_ADDED, r);
  }

  private static WatchEvent removed(String service, String address) {
    return new WatchEvent(WatchEvent.Type.ENDPOINT_REMOVED, added(service, address).record());
  }

  @Test
  void want_aNewService_watchesItOnceAndServesItsListenerAndCluster() {
    watches.want(streamA, Set.of("orders"));
    watches.want(streamB, Set.of("orders"));
    serial.drain();

    assertThat(source.started).containsExactly("orders");
    assertThat(cache.services()).containsExactly("orders");
  }

  @Test
  void lastStreamLettingGo_stopsTheWatchAndForgetsTheService() {
    watches.want(streamA, Set.of("orders"));
    watches.want(streamB, Set.of("orders"));
    serial.drain();

    watches.want(streamA, Set.of());
    serial.drain();
    assertThat(source.running).containsKey("orders");

    watches.ended(streamB);
    serial.drain();
    assertThat(source.running).isEmpty();
    assertThat(cache.services()).isEmpty();
    assertThat(watches.watched()).isZero();
  }

  @Test
  void wantedThenLetGoBeforeTheWatchStarted_neverWatches() {
    watches.want(streamA, Set.of("orders"));
    watches.ended(streamA);
    serial.drain();

    assertThat(source.started).isEmpty();
    assertThat(source.running).isEmpty();
  }

  @Test
  void morePerNodeThanTheLimit_isRefusedResourceExhaustedAndChangesNothing() {
    watches.want(streamA, Set.of("orders", "payments"));

    assertThatThrownBy(() -> watches.want(streamB, Set.of("orders", "stock")))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
          assertThat(e.getStatus().getDescription()).contains("limit is 2 services");
        });
    // A service already watched costs nothing more.
    watches.want(streamB, Set.of("orders"));
    serial.drain();
    assertThat(watches.watched()).isEqualTo(2);
    assertThat(source.started).containsExactlyInAnyOrder("orders", "payments");
  }

  @Test
  void events_untilSynced_publishNoAssignment_thenEachChangeIsPublished() {
    RecordingWatch eds = new RecordingWatch(cache, "orders");
    watches.want(streamA, Set.of("orders"));
    serial.drain();

    source.tell("orders", added("orders", "10.0.0.1:80"));
    serial.drain();
    assertThat(eds.responses).isEmpty();

    source.tell("orders", WatchEvent.SYNCED);
    serial.drain();
    assertThat(eds.responses).singleElement().satisfies(cla -> assertThat(addresses(cla))
        .containsExactly("10.0.0.1:80"));

    eds.ask();
    source.tell("orders", added("orders", "10.0.0.2:80"));
    serial.drain();
    eds.ask();
    source.tell("orders", removed("orders", "10.0.0.1:80"));
    serial.drain();
    assertThat(eds.responses).extracting(ServiceWatchesTest::addresses).containsExactly(
        List.of("10.0.0.1:80"), List.of("10.0.0.1:80", "10.0.0.2:80"), List.of("10.0.0.2:80"));
  }

  @Test
  void aServiceNobodyAnnounces_isAnsweredWithAnEmptyAssignmentOnceSynced() {
    RecordingWatch eds = new RecordingWatch(cache, "nobody");
    watches.want(streamA, Set.of("nobody"));
    serial.drain();
    source.tell("nobody", WatchEvent.SYNCED);
    serial.drain();

    assertThat(eds.responses).singleElement()
        .satisfies(cla -> assertThat(cla.getEndpointsCount()).isZero());
  }

  @Test
  void resync_replacesTheEndpointsWholeAtSynced() {
    RecordingWatch eds = new RecordingWatch(cache, "orders");
    watches.want(streamA, Set.of("orders"));
    serial.drain();
    source.tell("orders", added("orders", "10.0.0.1:80"));
    source.tell("orders", WatchEvent.SYNCED);
    serial.drain();
    eds.ask();

    source.tell("orders", WatchEvent.RESYNC);
    source.tell("orders", added("orders", "10.0.0.3:80"));
    serial.drain();
    assertThat(eds.responses).hasSize(1);
    source.tell("orders", WatchEvent.SYNCED);
    serial.drain();

    assertThat(eds.responses).extracting(ServiceWatchesTest::addresses)
        .containsExactly(List.of("10.0.0.1:80"), List.of("10.0.0.3:80"));
  }

  @Test
  void close_stopsEveryWatchAndRefusesLaterRequests() {
    watches.want(streamA, Set.of("orders"));
    serial.drain();

    watches.close();
    serial.drain();

    assertThat(source.running).isEmpty();
    assertThatThrownBy(() -> watches.want(streamB, Set.of("orders")))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  private static List<String> addresses(ClusterLoadAssignment cla) {
    List<String> out = new ArrayList<>();
    cla.getEndpointsList().forEach(l -> l.getLbEndpointsList().forEach(e -> {
      var s = e.getEndpoint().getAddress().getSocketAddress();
      out.add(s.getAddress() + ":" + s.getPortValue());
    }));
    return out;
  }
}
