package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code kadmesh node --no-metrics} with an admin address: refused before anything starts, since
 * a node without metrics has nothing to serve there.
 */
class NodeMetricsOptionTest {
  private final StringWriter err = new StringWriter();

  @Test
  void noMetrics_withAnAdminAddress_isAUsageErrorNamingBoth() {
    int exit = new CommandLine(new NodeCommand()).setErr(new PrintWriter(err))
        .execute("--in-memory", "--no-metrics", "--admin-address", "127.0.0.1:0",
            "--peer-address", "127.0.0.1:0", "--api-address", "127.0.0.1:0");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("--no-metrics serves no admin port",
        "--admin-address 127.0.0.1:0");
  }
}
