package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.client.testing.FakeKademlia;
import io.kadmesh.proto.v1.PingRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PingCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void ping_ofALivePeer_printsWhoAnsweredAndHowFast() {
    int exit = cli.run("ping", "10.0.0.7:7701");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().strip())
        .matches("pong from " + "01".repeat(32) + " at " + FakeKademlia.ADDRESS + " in \\d+\\.\\d ms");
    assertThat(cli.dialled).containsExactly("10.0.0.7:7701");
  }

  @Test
  void ping_sendsAHeaderWithoutSenderWithTheDefaultNetworkAndProtocolVersion1() {
    cli.run("ping", "10.0.0.7:7701");

    PingRequest sent = cli.kademlia.lastPing();
    assertThat(sent.getHeader().hasSender()).isFalse();
    assertThat(sent.getHeader().getNetwork()).isEqualTo(Defaults.NETWORK);
    assertThat(sent.getHeader().getProtocolVersion()).isEqualTo(1);
  }

  @Test
  void ping_withNetwork_announcesIt() {
    cli.run("ping", "--network", "staging", "10.0.0.7:7701");

    assertThat(cli.kademlia.lastPing().getHeader().getNetwork()).isEqualTo("staging");
  }

  @Test
  void ping_ofAPeerOfAnotherNetwork_exits3WithFailedPrecondition() {
    cli.kademlia.failWith(Status.FAILED_PRECONDITION.withDescription("network 'x' is not 'kadmesh'"));

    assertThat(cli.run("ping", "10.0.0.7:7701")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err())
        .isEqualTo("kadmesh: FAILED_PRECONDITION: network 'x' is not 'kadmesh'" + System.lineSeparator());
  }

  @Test
  void ping_withoutAddress_isAUsageError() {
    assertThat(cli.run("ping")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void ping_ofAnAddressWithoutPort_isAUsageError() {
    assertThat(cli.run("ping", "10.0.0.7")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("expected HOST:PORT");
  }
}
