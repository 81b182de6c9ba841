package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpcHealthProbeTest {
  /** Longer than the announcer's 1 s: the first call of a JVM loads Netty, and the machine is shared. */
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HealthStatusManager health = new HealthStatusManager();
  private final GrpcHealthProbe probe = GrpcHealthProbe.plaintext();
  private Server server;
  private String endpoint;

  @BeforeEach
  void serve() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(health.getHealthService())
        .build()
        .start();
    endpoint = "127.0.0.1:" + server.getPort();
  }

  @AfterEach
  void stop() throws InterruptedException {
    probe.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private boolean check(String service) throws Exception {
    return probe.isServing(endpoint, service, TIMEOUT).get(10, TimeUnit.SECONDS);
  }

  @Test
  void isServing_followsTheEndpointsHealthStatus_forTheServiceAsked() throws Exception {
    health.setStatus("orders.v1.Orders", ServingStatus.SERVING);
    assertThat(check("orders.v1.Orders")).isTrue();

    health.setStatus("orders.v1.Orders", ServingStatus.NOT_SERVING);
    assertThat(check("orders.v1.Orders")).isFalse();

    health.setStatus("orders.v1.Orders", ServingStatus.SERVING);
    assertThat(check("orders.v1.Orders")).isTrue();
    assertThat(probe.openChannels()).isEqualTo(1); // one channel, reused
  }

  @Test
  void isServing_ofTheServerAsAWhole_isTheEmptyServiceName() throws Exception {
    assertThat(check("")).isTrue(); // HealthStatusManager serves "" from the start
    health.setStatus("", ServingStatus.NOT_SERVING);
    assertThat(check("")).isFalse();
  }

  @Test
  void isServing_ofAServiceTheEndpointDoesNotKnow_isFalse() throws Exception {
    assertThat(check("no.such.Service")).isFalse();
  }

  @Test
  void isServing_ofAnEndpointNobodyListensOn_isFalseNotAFailure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = socket.getLocalPort();
    }

    assertThat(probe.isServing("127.0.0.1:" + closedPort, "", TIMEOUT).get(10, TimeUnit.SECONDS))
        .isFalse();
  }

  @Test
  void release_shutsTheEndpointsChannelDown_andALaterCheckOpensANewOne() throws Exception {
    assertThat(check("")).isTrue();

    probe.release(endpoint);

    assertThat(probe.openChannels()).isZero();
    assertThat(check("")).isTrue();
    assertThat(probe.openChannels()).isEqualTo(1);
  }

  @Test
  void afterClose_checksAnswerNotServingAndOpenNothing() throws Exception {
    probe.close();

    assertThat(check("")).isFalse();
    assertThat(probe.openChannels()).isZero();
  }
}
