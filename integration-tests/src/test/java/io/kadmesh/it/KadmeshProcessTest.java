package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.KadmeshClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three `kadmesh node` processes from the built executable, used through the command line. */
class KadmeshProcessTest {
  /** The built executable. */

  private final List<NodeProcess> nodes = new ArrayList<>();

  @TempDir Path dataDirs;

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  @Test
  void threeNodeProcesses_joinedThroughBootstrap_shareKeysThroughTheCommandLine() throws Exception {
    NodeProcess first = start("a", List.of());
    NodeProcess second = start("b", List.of("--bootstrap", first.peerAddress()));
    NodeProcess third = start("c", List.of("--bootstrap", first.peerAddress()));
    for (NodeProcess node : nodes) {
      try (KadmeshClient client = KadmeshClient.connect(node.apiAddress())) {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> client.info().contacts() == 2);
      }
    }

    CommandRun put = cli("put", "--target", second.apiAddress(), "greeting", "hello from b");
    assertThat(put.exit()).as(put.toString()).isZero();

    CommandRun get = cli("get", "--target", third.apiAddress(), "greeting");
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.stdout()).isEqualTo("hello from b");

    CommandRun missing = cli("get", "--target", first.apiAddress(), "no-such-key");
    assertThat(missing.exit()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.stdout()).isEmpty();

    CommandRun deleted = cli("delete", "--target", first.apiAddress(), "greeting");
    assertThat(deleted.exit()).as(deleted.toString()).isZero();
    assertThat(cli("get", "--target", second.apiAddress(), "greeting").exit()).isEqualTo(1);
  }

  @Test
  void nodeProcess_onSigterm_exitsGracefully() throws Exception {
    NodeProcess node = start("solo", List.of());
    node.apiAddress();

    node.close();

    assertThat(node.exitedCleanly()).isTrue();
    assertThat(node.logText()).as("exit %s", node.exitValue()).contains("stopped");
  }

  @Test
  void benchAndSimulate_fromTheExecutable_runAndPrintTheirFigures() throws Exception {
    // The jar's own classpath, not the tests': a dependency left out of it shows only here.
    CommandRun bench = cli("bench", "--nodes", "3", "--ops", "20", "--warmup", "0", "--json");
    assertThat(bench.exit()).as(bench.toString()).isZero();
    assertThat(bench.stdout()).contains("\"p50_ms\"", "\"success_rate\"");

    CommandRun simulate = cli("simulate", "--nodes", "100", "--lookups", "50", "--json");
    assertThat(simulate.exit()).as(simulate.toString()).isZero();
    assertThat(simulate.stdout()).contains("\"nodes\"");
  }

  private NodeProcess start(String name, List<String> args) throws IOException {
    NodeProcess node = NodeLauncher.start(ProcessMesh.JAR, dataDirs.resolve(name), args);
    nodes.add(node);
    return node;
  }

  private static CommandRun cli(String... args) throws IOException, InterruptedException {
    return KadmeshCli.run(args);
  }
}
