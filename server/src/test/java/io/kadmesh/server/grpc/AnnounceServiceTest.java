package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.Status.Code;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.mesh.Announcement;
import io.kadmesh.core.mesh.EndpointPublisher;
import io.kadmesh.core.mesh.HealthCheck;
import io.kadmesh.core.mesh.InMemoryAnnouncementStore;
import io.kadmesh.proto.v1.AnnounceRequest;
import io.kadmesh.proto.v1.AnnounceResponse;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.proto.v1.WithdrawRequest;
import io.kadmesh.records.Ed25519Keys;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Announce and Withdraw over the in-process transport: the wire's fields reach the announcer, its
 * refusals come back as statuses naming the field, and health checks go to the endpoint's own
 * grpc.health.v1 service. (Publishing itself is the announcer's, tested in AnnouncerTest.)
 */
class AnnounceServiceTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();

  private final HealthStatusManager endpointHealth = new HealthStatusManager();
  private final InMemoryAnnouncementStore saved = new InMemoryAnnouncementStore();

  private KadmeshServer start() {
    return nodes.start(NodeConfig.defaults(), b -> b
        .announcementStore(saved)
        .healthProbe(new GrpcHealthProbe(InProcessEndpoints.peerChannels())));
  }

  /** An endpoint that serves grpc.health.v1, NOT_SERVING (as a whole and for "orders"). */
  private String endpoint() {
    String address = TestNodes.address("orders");
    nodes.serve(address, endpointHealth.getHealthService());
    endpointHealth.setStatus("orders", ServingStatus.NOT_SERVING);
    endpointHealth.setStatus("", ServingStatus.NOT_SERVING);
    return address;
  }

  private static AnnounceRequest checked(String endpoint) {
    return AnnounceRequest.newBuilder()
        .setService("orders")
        .setEndpoint(endpoint)
        .putMetadata("zone", "eu-1")
        .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(20))
        .setHealthCheck(io.kadmesh.proto.v1.HealthCheck.newBuilder().setService("orders"))
        .build();
  }

  @Test
  void announce_ofAnEndpointWhoseHealthCheckFails_answersNothingPublishedAndKeepsIt() {
    KadmeshServer node = start();
    String endpoint = endpoint();

    AnnounceResponse response = nodes.dht(node).announce(checked(endpoint));

    assertThat(response.getReplicas()).isZero();
    assertThat(response.hasExpiresAt()).isFalse();
    assertThat(node.announcer().announcements()).containsExactly(Announcement.of("orders", endpoint,
        Map.of("zone", "eu-1"), Duration.ofSeconds(20),
        new HealthCheck("orders", Duration.ofSeconds(5))));
  }

  @Test
  void announce_withoutTtlOrInterval_getsTheDefaults() {
    KadmeshServer node = start();
    String endpoint = endpoint();

    nodes.dht(node).announce(checked(endpoint).toBuilder().clearTtl()
        .setHealthCheck(io.kadmesh.proto.v1.HealthCheck.newBuilder()).build());

    Announcement kept = node.announcer().announcements().get(0);
    assertThat(kept.ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(kept.healthCheck()).isEqualTo(new HealthCheck("", Duration.ofSeconds(5)));
  }

  @Test
  void announce_withBadFields_isInvalidArgumentNamingTheField() {
    KadmeshServer node = start();
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    AnnounceRequest good = checked("10.0.0.1:8080");

    assertFails(() -> dht.announce(good.toBuilder().setEndpoint("nowhere").build()),
        Code.INVALID_ARGUMENT, "endpoint must be HOST:PORT");
    assertFails(() -> nodes.dht(node).announce(good.toBuilder()
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(1)).build()),
        Code.INVALID_ARGUMENT, "ttl must be at least 5s");
    assertFails(() -> nodes.dht(node).announce(good.toBuilder()
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(5).setNanos(-1)).build()),
        Code.INVALID_ARGUMENT, "ttl is not a valid duration");
    assertFails(() -> nodes.dht(node).announce(good.toBuilder().setService("").build()),
        Code.INVALID_ARGUMENT, "service must be 1 to 256 bytes");
    assertFails(() -> nodes.dht(node).announce(good.toBuilder()
            .setHealthCheck(io.kadmesh.proto.v1.HealthCheck.newBuilder()
                .setInterval(com.google.protobuf.Duration.newBuilder().setNanos(1000))).build()),
        Code.INVALID_ARGUMENT, "health_check.interval must be at least 1s");
    assertThat(node.announcer().announcements()).isEmpty();
  }

  @Test
  void withdraw_ofAnEndpointNotAnnounced_isNotFound() {
    KadmeshServer node = start();

    assertFails(() -> nodes.dht(node).withdraw(WithdrawRequest.newBuilder()
        .setService("orders").setEndpoint("10.0.0.1:8080").build()), Code.NOT_FOUND, "10.0.0.1:8080");
  }

  @Test
  void withdraw_forgetsTheAnnouncement_soThatASecondWithdrawIsNotFound() {
    KadmeshServer node = start();
    String endpoint = endpoint();
    nodes.dht(node).announce(checked(endpoint));
    WithdrawRequest withdraw = WithdrawRequest.newBuilder().setService("orders").setEndpoint(endpoint)
        .build();

    // Its tombstone may or may not find replicas; either way the node forgets the endpoint.
    try {
      nodes.dht(node).withdraw(withdraw);
    } catch (io.grpc.StatusRuntimeException e) {
      assertThat(e.getStatus().getCode()).isEqualTo(Code.UNAVAILABLE);
    }

    assertThat(node.announcer().announcements()).isEmpty();
    assertFails(() -> nodes.dht(node).withdraw(withdraw), Code.NOT_FOUND);
  }

  @Test
  void closeAndRestart_keepsTheAnnouncementsSaved_andTheNewNodeAnnouncesThemAgain() {
    KadmeshServer first = start();
    String endpoint = endpoint();
    nodes.dht(first).announce(checked(endpoint));

    first.close();
    KadmeshServer second = start();

    assertThat(saved.load().announcements()).hasSize(1);
    assertThat(second.announcer().announcements()).extracting(Announcement::endpoint)
        .containsExactly(endpoint);
  }

  @Test
  void announce_published_answersThePublishersReplicasAndTheEntrysExpiry() {
    List<String> published = new CopyOnWriteArrayList<>();
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b
        .endpointPublisher(recording(published)));

    AnnounceResponse response = nodes.dht(node).announce(AnnounceRequest.newBuilder()
        .setService("orders").setEndpoint("10.0.0.1:8080").build());

    assertThat(response.getReplicas()).isEqualTo(2);
    assertThat(response.getExpiresAt().getSeconds()).isBetween(
        Instant.now().plusSeconds(28).getEpochSecond(), Instant.now().plusSeconds(31).getEpochSecond());
    assertThat(published).containsExactly("live orders 10.0.0.1:8080");
  }

  @Test
  void close_withdrawsEveryAnnouncedEndpointBeforeTheNodeLeaves_andARestartPublishesThemAgain() {
    List<String> published = new CopyOnWriteArrayList<>();
    KadmeshServer first = nodes.start(NodeConfig.defaults(), b -> b
        .announcementStore(saved).endpointPublisher(recording(published)));
    nodes.dht(first).announce(AnnounceRequest.newBuilder()
        .setService("orders").setEndpoint("10.0.0.1:8080").build());

    first.close();

    assertThat(published).containsExactly("live orders 10.0.0.1:8080",
        "withdrawn orders 10.0.0.1:8080");
    nodes.start(NodeConfig.defaults(), b -> b.announcementStore(saved)
        .endpointPublisher(recording(published)));
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 3);
    assertThat(published.get(2)).isEqualTo("live orders 10.0.0.1:8080");
  }

  @Test
  void healthCheckedEndpoint_isPublishedWhileServing_withdrawnWhenNot_andPublishedWhenBack() {
    List<String> published = new CopyOnWriteArrayList<>();
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b
        .endpointPublisher(recording(published))
        .healthProbe(new GrpcHealthProbe(InProcessEndpoints.peerChannels())));
    String endpoint = endpoint();
    endpointHealth.setStatus("orders", ServingStatus.SERVING);
    AnnounceRequest every1s = checked(endpoint).toBuilder()
        .setHealthCheck(io.kadmesh.proto.v1.HealthCheck.newBuilder().setService("orders")
            .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1)))
        .build();

    AnnounceResponse response = nodes.dht(node).announce(every1s);

    assertThat(response.getReplicas()).isEqualTo(2);
    assertThat(published).containsExactly("live orders " + endpoint);
    endpointHealth.setStatus("orders", ServingStatus.NOT_SERVING);
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);
    assertThat(published.get(1)).isEqualTo("withdrawn orders " + endpoint);
    endpointHealth.setStatus("orders", ServingStatus.SERVING);
    await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 3);
    assertThat(published.get(2)).isEqualTo("live orders " + endpoint);
  }

  /** A publisher that notes what it publishes and answers 2 replicas. */
  private static EndpointPublisher recording(List<String> published) {
    return (entry, seq, expiresAt, withdrawn) -> {
      published.add((withdrawn ? "withdrawn " : "live ") + entry.service() + " " + entry.address());
      return CompletableFuture.completedFuture(2);
    };
  }

  @Test
  void getNodeInfo_reportsTheNodesPublicKey() {
    KeyPair key = Ed25519Keys.generate();
    KadmeshServer node = nodes.start(NodeConfig.defaults(), b -> b.nodeKey(key));

    assertThat(nodes.dht(node).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()).getPublicKey()
        .toByteArray()).isEqualTo(Ed25519Keys.raw(key.getPublic()));
  }
}
