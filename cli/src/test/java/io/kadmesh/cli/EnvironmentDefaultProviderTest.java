package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EnvironmentDefaultProviderTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void variableFor_dashedLongOption_isPrefixedUpperSnakeCase() {
    assertThat(EnvironmentDefaultProvider.variableFor("--advertise-address"))
        .isEqualTo("KADMESH_ADVERTISE_ADDRESS");
    assertThat(EnvironmentDefaultProvider.variableFor("--k")).isEqualTo("KADMESH_K");
  }

  @Test
  void target_fromEnvironment_isDialledWhenNoFlagIsGiven() {
    cli.environment.put("KADMESH_TARGET", "10.1.1.1:7700");

    cli.run("put", "k", "v");

    assertThat(cli.dialled).containsExactly("10.1.1.1:7700");
  }

  @Test
  void target_flag_winsOverTheEnvironment() {
    cli.environment.put("KADMESH_TARGET", "10.1.1.1:7700");

    cli.run("put", "--target", "10.2.2.2:7700", "k", "v");

    assertThat(cli.dialled).containsExactly("10.2.2.2:7700");
  }

  @Test
  void target_fromEmptyVariable_fallsBackToTheDefault() {
    cli.environment.put("KADMESH_TARGET", "");

    cli.run("put", "k", "v");

    assertThat(cli.dialled).containsExactly(Defaults.API_ADDRESS);
  }

  @Test
  void ttl_fromEnvironment_isSent() {
    cli.environment.put("KADMESH_TTL", "2h");

    cli.run("put", "k", "v");

    assertThat(cli.dht.lastPut().getTtl().getSeconds()).isEqualTo(7200);
  }

  @Test
  void json_fromEnvironment_switchesOutputToJson() {
    cli.environment.put("KADMESH_JSON", "true");

    cli.run("delete", "k");

    assertThat(cli.out()).startsWith("{\"replicas\":3");
  }

  @Test
  void network_fromEnvironment_isAnnouncedByPing() {
    cli.environment.put("KADMESH_NETWORK", "lab");

    cli.run("ping", "10.0.0.7:7701");

    assertThat(cli.kademlia.lastPing().getHeader().getNetwork()).isEqualTo("lab");
  }

  @Test
  void timeout_fromEnvironmentThatIsMalformed_isAUsageError() {
    cli.environment.put("KADMESH_TIMEOUT", "forever");

    assertThat(cli.run("get", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("invalid duration 'forever'");
  }

  @Test
  void help_isNeverTakenFromTheEnvironment() {
    cli.environment.put("KADMESH_HELP", "true");

    cli.run("put", "k", "v");

    assertThat(cli.out()).startsWith("stored on");
  }
}
