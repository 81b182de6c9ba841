package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class XdsBootstrapCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  private JsonObject bootstrap() {
    return JsonParser.parseString(cli.out()).getAsJsonObject();
  }

  @Test
  void xdsBootstrap_withDefaults_pointsAtTheDefaultApiAddressPlaintextV3() {
    int exit = cli.run("xds-bootstrap");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    JsonObject server = bootstrap().getAsJsonArray("xds_servers").get(0).getAsJsonObject();
    assertThat(server.get("server_uri").getAsString()).isEqualTo(Defaults.API_ADDRESS);
    assertThat(server.getAsJsonArray("channel_creds").get(0).getAsJsonObject().get("type")
        .getAsString()).isEqualTo("insecure");
    assertThat(server.getAsJsonArray("server_features").get(0).getAsString()).isEqualTo("xds_v3");
    JsonObject node = bootstrap().getAsJsonObject("node");
    assertThat(node.get("id").getAsString()).isEqualTo(XdsBootstrapCommand.DEFAULT_NODE_ID);
    assertThat(node.getAsJsonObject("locality").size()).isZero();
    assertThat(cli.err()).isEmpty();
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void xdsBootstrap_withTargetAndNodeId_usesThem() {
    cli.run("xds-bootstrap", "--target", "10.1.2.3:7800", "--node-id", "orders-client-1");

    assertThat(bootstrap().getAsJsonArray("xds_servers").get(0).getAsJsonObject()
        .get("server_uri").getAsString()).isEqualTo("10.1.2.3:7800");
    assertThat(bootstrap().getAsJsonObject("node").get("id").getAsString())
        .isEqualTo("orders-client-1");
  }

  @Test
  void xdsBootstrap_targetFromEnvironment_isTheServer() {
    cli.environment.put("KADMESH_TARGET", "10.9.9.9:7700");

    cli.run("xds-bootstrap");

    assertThat(bootstrap().getAsJsonArray("xds_servers").get(0).getAsJsonObject()
        .get("server_uri").getAsString()).isEqualTo("10.9.9.9:7700");
  }

  @Test
  void xdsBootstrap_nodeIdFromItsOwnVariable_isTheClientsId() {
    cli.environment.put("KADMESH_XDS_NODE_ID", "orders-client-2");

    cli.run("xds-bootstrap");

    assertThat(bootstrap().getAsJsonObject("node").get("id").getAsString())
        .isEqualTo("orders-client-2");
  }

  @Test
  void xdsBootstrap_withTheNodesNodeIdVariableSet_ignoresIt() {
    // A container runs `kadmesh node` with KADMESH_NODE_ID; the bootstrap is for the application.
    cli.environment.put("KADMESH_NODE_ID", "node-7");

    cli.run("xds-bootstrap");

    assertThat(bootstrap().getAsJsonObject("node").get("id").getAsString())
        .isEqualTo(XdsBootstrapCommand.DEFAULT_NODE_ID);
  }

  @Test
  void xdsBootstrap_withABadTarget_isAUsageErrorOnOneLine() {
    int exit = cli.run("xds-bootstrap", "--target", "no-port");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err().strip()).doesNotContain("\n").contains("--target");
  }
}
