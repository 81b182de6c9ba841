package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeleteCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void delete_ofStoredKey_reportsTheTombstonesReplicasAndGetThenExits1() {
    cli.run("put", "k", "v");

    int exit = cli.run("delete", "k");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo("deleted (tombstone on 3 replicas)" + System.lineSeparator());
    assertThat(cli.run("get", "k")).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void delete_withJson_printsReplicasAndVersion() {
    cli.run("delete", "k", "--json");

    assertThat(cli.out().strip())
        .isEqualTo(
            "{\"replicas\":3,\"version\":{\"sequence\":1001,\"writer_id\":\""
                + "ab".repeat(32)
                + "\"}}");
  }

  @Test
  void delete_thatLostToANewerVersion_exits4NotTheGeneralFailure() {
    cli.dht.failWith(Status.ABORTED.withDescription("a newer version of this key exists"));

    int exit = cli.run("delete", "k");

    assertThat(exit).isEqualTo(ExitCodes.CONFLICT);
    assertThat(cli.err().lines()).containsExactly("kadmesh: ABORTED: a newer version of this key exists");
  }

  @Test
  void delete_withoutKey_isAUsageError() {
    assertThat(cli.run("delete")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).hasSize(1);
  }
}
