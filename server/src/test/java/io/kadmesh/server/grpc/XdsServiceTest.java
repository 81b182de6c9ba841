package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.proto.v1.AnnounceRequest;
import io.kadmesh.proto.v1.WithdrawRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** The API port's ADS service over the in-process transport, on a real node. */
class XdsServiceTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** What the node's xDS code and java-control-plane log, at the levels the tests log at. */
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final List<Logger> watchedLoggers = List.of(
      (Logger) LoggerFactory.getLogger("io.kadmesh.server.xds"),
      (Logger) LoggerFactory.getLogger("io.envoyproxy.controlplane"));

  @BeforeEach
  void watchLogs() {
    logged.start();
    watchedLoggers.forEach(l -> l.addAppender(logged));
  }

  @AfterEach
  void stopWatchingLogs() {
    watchedLoggers.forEach(l -> l.detachAppender(logged));
    logged.stop();
  }

  private List<ILoggingEvent> loggedAtInfoOrAbove() {
    return logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
  }

  /** A client side of one ADS stream: what came back, and how it ended. */
  private static final class Ads implements StreamObserver<DiscoveryResponse> {
    final List<DiscoveryResponse> responses = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> ended = new AtomicReference<>();
    StreamObserver<DiscoveryRequest> requests;

    @Override
    public void onNext(DiscoveryResponse r) {
      responses.add(r);
    }

    @Override
    public void onError(Throwable t) {
      ended.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.set(Status.OK);
    }

    /** Asks for {@code names} of {@code type}, ACKing what it last received of that type. */
    void ask(String type, String... names) {
      DiscoveryRequest.Builder r = DiscoveryRequest.newBuilder().setTypeUrl(type)
          .addAllResourceNames(List.of(names));
      // Like Python's client: the node only in the stream's first request.
      if (responses.isEmpty() && ended.get() == null) {
        r.setNode(Node.newBuilder().setId("test-client"));
      }
      for (DiscoveryResponse previous : responses) {
        if (previous.getTypeUrl().equals(type)) {
          r.setVersionInfo(previous.getVersionInfo()).setResponseNonce(previous.getNonce());
        }
      }
      requests.onNext(r.build());
    }

    List<ClusterLoadAssignment> assignments() {
      List<ClusterLoadAssignment> out = new ArrayList<>();
      for (DiscoveryResponse r : responses) {
        if (!r.getTypeUrl().equals(Resources.V3.ENDPOINT_TYPE_URL)) continue;
        r.getResourcesList().forEach(any -> {
          try {
            out.add(any.unpack(ClusterLoadAssignment.class));
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
          }
        });
      }
      return out;
    }
  }

  private Ads open(KadmeshServer node) {
    Ads ads = new Ads();
    ads.requests = AggregatedDiscoveryServiceGrpc.newStub(nodes.channel(node.addresses().api()))
        .streamAggregatedResources(ads);
    // Closed before its channel, which would otherwise wait for the open stream.
    nodes.register(() -> ads.requests.onError(Status.CANCELLED.asRuntimeException()));
    return ads;
  }

  private static AnnounceRequest announce(String endpoint) {
    return AnnounceRequest.newBuilder().setService("orders").setEndpoint(endpoint)
        .putMetadata("zone", "eu-1")
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build();
  }

  private static List<String> addresses(ClusterLoadAssignment cla) {
    List<String> out = new ArrayList<>();
    cla.getEndpointsList().forEach(l -> l.getLbEndpointsList().forEach(e -> out.add(
        e.getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
            + e.getEndpoint().getAddress().getSocketAddress().getPortValue())));
    return out;
  }

  @Test
  void ads_forAnAnnouncedService_servesListenerThenEndpointsAndPushesChanges() throws Exception {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    nodes.dht(node).announce(announce("10.0.0.1:8080"));
    Ads ads = open(node);

    ads.ask(Resources.V3.LISTENER_TYPE_URL, "orders");
    await().atMost(WAIT).until(() -> ads.responses.size() == 1);
    Listener listener = ads.responses.get(0).getResources(0).unpack(Listener.class);
    assertThat(listener.getName()).isEqualTo("orders");

    ads.ask(Resources.V3.ENDPOINT_TYPE_URL, "orders");
    await().atMost(WAIT).until(() -> ads.assignments().size() == 1);
    assertThat(addresses(ads.assignments().get(0))).containsExactly("10.0.0.1:8080");
    assertThat(ads.assignments().get(0).getEndpoints(0).getLocality().getZone()).isEqualTo("eu-1");

    ads.ask(Resources.V3.ENDPOINT_TYPE_URL, "orders");
    nodes.dht(node).announce(announce("10.0.0.2:8080"));
    await().atMost(WAIT).until(() -> ads.assignments().size() == 2);
    assertThat(addresses(ads.assignments().get(1))).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");

    ads.ask(Resources.V3.ENDPOINT_TYPE_URL, "orders");
    nodes.dht(node).withdraw(WithdrawRequest.newBuilder().setService("orders")
        .setEndpoint("10.0.0.1:8080").build());
    await().atMost(WAIT).until(() -> ads.assignments().size() == 3);
    assertThat(addresses(ads.assignments().get(2))).containsExactly("10.0.0.2:8080");
    assertThat(ads.ended.get()).isNull();
  }

  @Test
  void ads_forAServiceNobodyAnnounces_answersAnEmptyAssignmentPromptly() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Ads ads = open(node);

    ads.ask(Resources.V3.ENDPOINT_TYPE_URL, "nobody");

    await().atMost(Duration.ofSeconds(2)).until(() -> ads.assignments().size() == 1);
    assertThat(ads.assignments().get(0).getEndpointsCount()).isZero();
  }

  @Test
  void ads_streamEnds_releasesTheServiceWatch() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Ads ads = open(node);
    ads.ask(Resources.V3.CLUSTER_TYPE_URL, "orders");
    await().atMost(WAIT).until(() -> ads.responses.size() == 1);
    assertThat(node.xds().watchedServices()).isEqualTo(1);

    ads.requests.onError(Status.CANCELLED.asRuntimeException());

    await().atMost(WAIT).until(() -> node.xds().watchedServices() == 0);
  }

  @Test
  void ads_cancelledByTheClient_logsNothingAtInfoOrAboveAndNoStackTrace() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Ads ads = open(node);
    ads.ask(Resources.V3.CLUSTER_TYPE_URL, "orders");
    await().atMost(WAIT).until(() -> ads.responses.size() == 1);

    ads.requests.onError(Status.CANCELLED.asRuntimeException());

    await().atMost(WAIT).until(() -> node.xds().watchedServices() == 0);
    assertThat(loggedAtInfoOrAbove()).isEmpty();
    assertThat(logged.list).allMatch(e -> e.getThrowableProxy() == null);
  }

  @Test
  void ads_refused_logsOneInfoLineNamingTheStatus_withoutAStackTrace() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Ads ads = open(node);

    ads.ask(Resources.V3.LISTENER_TYPE_URL, "x".repeat(257));

    await().atMost(WAIT).until(() -> !loggedAtInfoOrAbove().isEmpty());
    assertThat(loggedAtInfoOrAbove()).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.INFO);
      assertThat(e.getLoggerName()).isEqualTo("io.kadmesh.server.xds.XdsCallbacks");
      assertThat(e.getFormattedMessage()).matches("xDS stream \\d+ refused: INVALID_ARGUMENT: "
          + "resource_names: .*256 bytes.*");
      assertThat(e.getThrowableProxy()).isNull();
    });
  }

  @Test
  void ads_withANameTooLongForAService_endsInvalidArgumentNamingTheField() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Ads ads = open(node);

    ads.ask(Resources.V3.LISTENER_TYPE_URL, "x".repeat(257));

    await().atMost(WAIT).until(() -> ads.ended.get() != null);
    assertThat(ads.ended.get().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(ads.ended.get().getDescription()).contains("resource_names").contains("256");
  }

  @Test
  void ads_beyondTheNodesWatchLimit_endsResourceExhausted() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    int limit = NodeConfig.defaults().watch().maxWatchStreams();
    String[] names = new String[limit + 1];
    for (int i = 0; i < names.length; i++) names[i] = "svc-" + i;
    Ads ads = open(node);

    ads.ask(Resources.V3.LISTENER_TYPE_URL, names);

    await().atMost(WAIT).until(() -> ads.ended.get() != null);
    assertThat(ads.ended.get().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ads.ended.get().getDescription()).contains("limit is " + limit + " services");
  }

  @Test
  void incrementalAds_isRefusedUnimplemented() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    AtomicReference<Status> ended = new AtomicReference<>();
    StreamObserver<DeltaDiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(nodes.channel(node.addresses().api()))
            .deltaAggregatedResources(new StreamObserver<DeltaDiscoveryResponse>() {
              @Override public void onNext(DeltaDiscoveryResponse r) {}
              @Override public void onError(Throwable t) { ended.set(Status.fromThrowable(t)); }
              @Override public void onCompleted() { ended.set(Status.OK); }
            });

    requests.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(Resources.V3.LISTENER_TYPE_URL)
        .addResourceNamesSubscribe("orders").build());

    await().atMost(WAIT).until(() -> ended.get() != null);
    assertThat(ended.get().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
  }

  @Test
  void close_ofTheNode_endsAdsStreamsUnavailable() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Ads ads = open(node);
    ads.ask(Resources.V3.LISTENER_TYPE_URL, "orders");
    await().atMost(WAIT).until(() -> ads.responses.size() == 1);

    long started = System.nanoTime();
    node.close();

    await().atMost(WAIT).until(() -> ads.ended.get() != null);
    assertThat(ads.ended.get().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    // Well inside the 5 s grace a stream left open would hold the shutdown for.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }
}

