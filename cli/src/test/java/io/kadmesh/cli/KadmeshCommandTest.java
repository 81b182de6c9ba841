package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.kadmesh.client.testing.ClosedPort;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class KadmeshCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void kadmesh_withoutSubcommand_isAUsageError() {
    assertThat(cli.run()).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).isEqualTo("kadmesh: Missing subcommand (see 'kadmesh --help')" + System.lineSeparator());
  }

  @Test
  void kadmesh_withUnknownOption_isAUsageErrorOnOneLine() {
    assertThat(cli.run("get", "k", "--colour")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).containsExactly("kadmesh: Unknown option: '--colour' (see 'kadmesh get --help')");
  }

  @Test
  void kadmesh_withUnknownSubcommand_isAUsageError() {
    assertThat(cli.run("frobnicate")).isEqualTo(ExitCodes.USAGE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"put", "get", "delete", "keygen", "info", "ping"})
  void help_ofEachSubcommand_printsItsUsageAndExits0(String subcommand) {
    assertThat(cli.run(subcommand, "--help")).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).startsWith("Usage: kadmesh " + subcommand);
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void help_ofKadmesh_listsTheSubcommands() {
    cli.run("--help");

    assertThat(cli.out()).contains("put", "get", "delete", "keygen", "info", "ping");
  }

  @Test
  void anyCommand_withTargetWithoutPort_isAUsageError() {
    assertThat(cli.run("get", "k", "--target", "localhost")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("invalid address 'localhost': expected HOST:PORT");
  }

  @Test
  void anyCommand_withZeroTimeout_isAUsageError() {
    assertThat(cli.run("get", "k", "--timeout", "0s")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("must be positive");
  }

  @Test
  void anyCommand_whenNothingListensAtTheTarget_exits3SayingItCouldNotReachIt() {
    String target = ClosedPort.address();
    cli.channels = ChannelFactory.network();

    int exit = cli.run("get", "k", "--target", target);

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err())
        .isEqualTo(
            "kadmesh: UNAVAILABLE: could not reach " + target + " (is a node running?)"
                + System.lineSeparator());
  }

  @Test
  void anyCommand_whenTheNodeItselfAnswersUnavailable_exits3WithTheNodesMessage() {
    cli.dht.failWith(Status.UNAVAILABLE.withDescription("no live node could store the record"));

    assertThat(cli.run("put", "k", "v")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err())
        .isEqualTo("kadmesh: UNAVAILABLE: no live node could store the record" + System.lineSeparator());
  }

  @Test
  void anyCommand_whenTheNodeDoesNotAnswerInTime_exits3NamingTargetAndDeadline() {
    cli.dht.goSilent();

    int exit = cli.run("get", "k", "--timeout", "100ms");

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err())
        .isEqualTo(
            "kadmesh: DEADLINE_EXCEEDED: no answer from 127.0.0.1:7700 within 100ms"
                + System.lineSeparator());
  }

  @Test
  void anyCommand_whenTheNodesMessageHasNewlines_stillPrintsOneLine() {
    cli.dht.failWith(Status.INTERNAL.withDescription("first\nsecond\r\nthird"));

    cli.run("get", "k");

    assertThat(cli.err()).isEqualTo("kadmesh: INTERNAL: first second third" + System.lineSeparator());
  }

  @Test
  void subcommandAddedLater_readsTheEnvironmentAndGetsTheExitCodeMapping() {
    cli.environment.put("KADMESH_DATA_DIR", "/var/lib/kadmesh");
    CommandLine commandLine = cli.commandLine();
    NodeLike node = new NodeLike();
    commandLine.addSubcommand("node", node);

    assertThat(cli.run(commandLine, "node")).isEqualTo(ExitCodes.OK);
    assertThat(node.dataDir).isEqualTo("/var/lib/kadmesh");
    assertThat(cli.run(commandLine, "node", "--fail")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.run(commandLine, "node", "--bogus")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run(commandLine, "node", "--help")).isEqualTo(ExitCodes.OK);
  }

  /** Stands in for the {@code node} command that KadmeshMain adds. */
  @Command(name = "node", description = "Runs a node.")
  static final class NodeLike implements Callable<Integer> {
    @Option(names = "--data-dir", defaultValue = "data")
    String dataDir;

    @Option(names = "--fail")
    boolean fail;

    @Override
    public Integer call() {
      if (fail) {
        throw new IllegalStateException("cannot bind 0.0.0.0:7701");
      }
      return ExitCodes.OK;
    }
  }
}
