package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Context;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.GetResponse;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.PutResponse;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchRequest;
import io.kadmesh.server.metrics.RecentFailures;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the per-port interceptor hands the dashboard's ring of recent failures. */
class RpcMetricsTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final RecentFailures failures = new RecentFailures(10, () -> T0);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final CountDownLatch watchStarted = new CountDownLatch(1);

  /** Refuses every Put, never answers a Get, and holds a Watch open until the caller leaves. */
  private final DhtGrpc.DhtImplBase service = new DhtGrpc.DhtImplBase() {
    @Override
    public void put(PutRequest request, StreamObserver<PutResponse> observer) {
      observer.onError(Status.RESOURCE_EXHAUSTED.withDescription("store full").asException());
    }

    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> observer) {}

    @Override
    public void watch(WatchRequest request, StreamObserver<WatchEvent> observer) {
      watchStarted.countDown();
    }
  };

  /** Calls of {@code method} counted as CANCELLED. */
  private double cancelled(String method) {
    return registry.scrape().stream()
        .filter(m -> m instanceof CounterSnapshot && m.getMetadata().getName().equals("kadmesh_api_requests"))
        .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
        .filter(p -> p.getLabels().get("method").equals(method) && p.getLabels().get("code").equals("CANCELLED"))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
        .sum();
  }

  private DhtGrpc.DhtBlockingStub serve() {
    String address = TestNodes.address("api");
    RpcMetrics metrics = RpcMetrics.forPort("api", "in this test", registry, failures);
    nodes.serve(address, () -> ServerInterceptors.intercept(service, metrics));
    return DhtGrpc.newBlockingStub(nodes.channel(address));
  }

  @Test
  void aCallEndingInAnError_isKeptWithItsStatusAndMessage() {
    DhtGrpc.DhtBlockingStub dht = serve();

    assertThrows(StatusRuntimeException.class, () -> dht.withDeadlineAfter(5, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey("k").build()));

    assertThat(failures.latest()).containsExactly(
        new RecentFailures.Failure(T0, "api", "Put", "RESOURCE_EXHAUSTED", "store full"));
  }

  @Test
  void aCallTheCallerGaveUpOn_isCountedButNotListed() {
    DhtGrpc.DhtBlockingStub dht = serve();

    StatusRuntimeException late = assertThrows(StatusRuntimeException.class,
        () -> dht.withDeadlineAfter(200, TimeUnit.MILLISECONDS).get(GetRequest.newBuilder().setKey("k").build()));

    assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
    await().atMost(Duration.ofSeconds(5)).until(() -> cancelled("Get") == 1);
    assertThat(failures.latest()).isEmpty();
  }

  @Test
  void aStreamTheCallerCancels_isCountedButNotListed() throws Exception {
    DhtGrpc.DhtBlockingStub dht = serve();
    Context.CancellableContext caller = Context.current().withCancellation();

    caller.run(() -> {
      Iterator<WatchEvent> events = dht.watch(WatchRequest.newBuilder().setKey("k").build());
      assertThat(events).isNotNull();
    });
    assertThat(watchStarted.await(5, TimeUnit.SECONDS)).isTrue();
    caller.cancel(null);

    await().atMost(Duration.ofSeconds(5)).until(() -> cancelled("Watch") == 1);
    assertThat(failures.latest()).isEmpty();
  }
}
