package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.proto.v1.AnnounceRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnnounceCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void announce_serviceAndEndpoint_printsReplicasAndExpiryOnOneLine() {
    int exit = cli.run("announce", "orders", "10.0.0.1:8080");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    AnnounceRequest sent = cli.dht.lastAnnounce();
    assertThat(sent.getService()).isEqualTo("orders");
    assertThat(sent.getEndpoint()).isEqualTo("10.0.0.1:8080");
    assertThat(sent.hasTtl()).isFalse();
    assertThat(sent.hasHealthCheck()).isFalse();
    assertThat(cli.out()).isEqualTo("announced on 3 replicas (expires 2030-01-01T00:00:30Z; the node "
        + "renews it until withdrawn)" + System.lineSeparator());
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void announce_withTtlMetaAndHealthCheck_sendsThemAll() {
    int exit = cli.run("announce", "orders", "[::1]:9090", "--ttl", "1m", "--meta", "zone=eu-1",
        "--meta", "weight=3", "--health-check=orders.v1.Orders", "--health-interval", "2s");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    AnnounceRequest sent = cli.dht.lastAnnounce();
    assertThat(sent.getTtl().getSeconds()).isEqualTo(60);
    assertThat(sent.getMetadataMap()).containsOnly(Map.entry("zone", "eu-1"), Map.entry("weight", "3"));
    assertThat(sent.getHealthCheck().getService()).isEqualTo("orders.v1.Orders");
    assertThat(sent.getHealthCheck().getInterval().getSeconds()).isEqualTo(2);
    assertThat(cli.out()).isEqualTo("announced, not published yet: its health check has not "
        + "answered SERVING" + System.lineSeparator());
  }

  @Test
  void announce_withBareHealthCheck_checksTheServerAsAWholeAtTheNodesInterval() {
    cli.run("announce", "orders", "10.0.0.1:8080", "--health-check");

    AnnounceRequest sent = cli.dht.lastAnnounce();
    assertThat(sent.hasHealthCheck()).isTrue();
    assertThat(sent.getHealthCheck().getService()).isEmpty();
    assertThat(sent.getHealthCheck().hasInterval()).isFalse();
  }

  @Test
  void announce_withJson_printsReplicasPublishedAndExpiry() {
    cli.run("announce", "orders", "10.0.0.1:8080", "--ttl", "10s", "--json");

    assertThat(cli.out().strip()).isEqualTo(
        "{\"replicas\":3,\"published\":true,\"expires_at\":\"2030-01-01T00:00:10Z\"}");
  }

  @Test
  void announce_withTargetAndTls_dialsTheTarget() {
    cli.run("announce", "--target", "node-3:7700", "orders", "10.0.0.1:8080");

    assertThat(cli.dialled).containsExactly("node-3:7700");
  }

  @Test
  void announce_badUsage_exits2WithOneLine() {
    assertThat(cli.run("announce", "orders")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("announce", "orders", "no-port")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("invalid address 'no-port'");
    assertThat(cli.run("announce", "orders", "10.0.0.1:80", "--meta", "novalue")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("announce", "orders", "10.0.0.1:80", "--ttl", "0s")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("announce", "orders", "10.0.0.1:80", "--health-interval", "2s"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--health-interval goes with --health-check");
    assertThat(cli.dht.lastAnnounce()).isNull();
  }

  @Test
  void announce_refusedByTheNode_exits3WithItsStatusOnOneLine() {
    cli.dht.failWith(Status.INVALID_ARGUMENT.withDescription("ttl must be at least 5s and at most "
        + "the node's maximum TTL, 604800s; got PT1S"));

    int exit = cli.run("announce", "orders", "10.0.0.1:8080", "--ttl", "1s");

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err().lines()).containsExactly("kadmesh: INVALID_ARGUMENT: ttl must be at least 5s "
        + "and at most the node's maximum TTL, 604800s; got PT1S");
  }

  @Test
  void withdraw_ofAnAnnouncedEndpoint_printsReplicas() {
    cli.run("announce", "orders", "10.0.0.1:8080");

    int exit = cli.run("withdraw", "orders", "10.0.0.1:8080");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo("withdrawn (on 3 replicas)" + System.lineSeparator());
    assertThat(cli.dht.announced()).isEmpty();
  }

  @Test
  void withdraw_withJson_printsReplicas() {
    cli.run("announce", "orders", "10.0.0.1:8080");

    cli.run("withdraw", "orders", "10.0.0.1:8080", "--json");

    assertThat(cli.out().strip()).isEqualTo("{\"replicas\":3}");
  }

  @Test
  void withdraw_ofAnEndpointNotAnnounced_exits1SayingSo() {
    int exit = cli.run("withdraw", "orders", "10.0.0.1:8080");

    assertThat(exit).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.err().lines()).containsExactly(
        "kadmesh: the node does not announce 10.0.0.1:8080 for service 'orders'");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void withdraw_whenTheNodeIsUnreachable_exits3() {
    cli.dht.failWith(Status.UNAVAILABLE.withDescription("no live node could store it"));

    assertThat(cli.run("withdraw", "orders", "10.0.0.1:8080")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err().lines()).containsExactly("kadmesh: UNAVAILABLE: no live node could store it");
  }
}
