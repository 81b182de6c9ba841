package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kadmesh.client.testing.InProcessNode;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.server.grpc.KadmeshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HealthCommandTest {

  private final CliHarness cli = new CliHarness();
  private final HealthStatusManager health = new HealthStatusManager();
  private final InProcessNode node = InProcessNode.serve(health.getHealthService());

  @BeforeEach
  void serveHealth() {
    cli.channels = (target, tls, check) -> {
      cli.dialled.add(target);
      return node.newChannel();
    };
  }

  @AfterEach
  void stop() {
    node.close();
    cli.close();
  }

  @Test
  void health_ofAServingNode_printsServingAndExits0() {
    health.setStatus("", ServingStatus.SERVING);

    assertThat(cli.run("health")).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().strip()).isEqualTo("SERVING");
    assertThat(cli.err()).isEmpty();
    assertThat(cli.dialled).containsExactly(Defaults.API_ADDRESS);
  }

  @Test
  void health_ofANodeNotServing_printsTheStatusAndExits5WithOneLine() {
    health.setStatus("", ServingStatus.NOT_SERVING);

    assertThat(cli.run("health", "--target", "10.0.0.7:7700")).isEqualTo(ExitCodes.NOT_SERVING);
    assertThat(cli.out().strip()).isEqualTo("NOT_SERVING");
    assertThat(cli.err()).startsWith("kadmesh: NOT_SERVING: 10.0.0.7:7700 is not serving")
        .hasLineCount(1);
  }

  @Test
  void health_help_namesEveryHealthNameANodeServes_andTheExitCodes() {
    CommandLine.Model.CommandSpec spec = new CommandLine(new HealthCommand()).getCommandSpec();

    String service = String.join(" ", spec.findOption("--service").description());
    assertThat(service).contains(DhtGrpc.SERVICE_NAME, KademliaGrpc.SERVICE_NAME,
        AdminGrpc.SERVICE_NAME, "'" + KadmeshServer.LIVENESS_HEALTH_NAME + "' is SERVING");
    assertThat(String.join(" ", spec.usageMessage().description())).contains("0 SERVING",
        "1 the node knows no such --service", "3 the node could not be reached",
        "5 it answered, but not SERVING");
  }

  @Test
  void health_withService_checksThatServiceOnly() {
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus("kadmesh.v1.Dht", ServingStatus.SERVING);

    assertThat(cli.run("health", "--service", "kadmesh.v1.Dht")).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().strip()).isEqualTo("SERVING");
  }

  @Test
  void health_ofAnUnknownService_exits1NamingIt() {
    assertThat(cli.run("health", "--service", "no.such.Service")).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.err()).isEqualTo("kadmesh: NOT_FOUND: " + Defaults.API_ADDRESS
        + " knows no health service 'no.such.Service'" + System.lineSeparator());
  }

  @Test
  void health_targetFromTheEnvironment_dialsIt() {
    health.setStatus("", ServingStatus.SERVING);
    cli.environment.put("KADMESH_TARGET", "10.0.0.9:7700");

    assertThat(cli.run("health")).isEqualTo(ExitCodes.OK);
    assertThat(cli.dialled).containsExactly("10.0.0.9:7700");
  }

  @Test
  void health_ofANodeThatIsDown_exits3WithOneLine() {
    node.close();

    assertThat(cli.run("health")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).startsWith("kadmesh: UNAVAILABLE").hasLineCount(1);
  }

  @Test
  void health_withAStrayArgument_isAUsageError() {
    assertThat(cli.run("health", "extra")).isEqualTo(ExitCodes.USAGE);
  }
}
