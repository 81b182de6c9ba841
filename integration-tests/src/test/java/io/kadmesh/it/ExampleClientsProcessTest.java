package io.kadmesh.it;

import static io.kadmesh.it.ProcessMesh.JAR;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The put/get/delete clients of examples/node and examples/python, each run against a `kadmesh
 * node` process, their output asserted line by line. A missing toolchain skips its test with the
 * reason; an `npm ci` that fails (no registry, say) fails the Node test with npm's output.
 */
class ExampleClientsProcessTest {
  private static final Path NODE_EXAMPLE = Path.of("../examples/node");
  private static final Path PYTHON_CLIENT = Path.of("../examples/python/client.py");

  @TempDir Path dir;

  private NodeProcess node;
  private String target;

  @BeforeEach
  void startNode() throws Exception {
    node = NodeProcess.start(JAR, dir.resolve("node"), List.of());
    target = node.apiAddress();
  }

  @AfterEach
  void stopNode() throws InterruptedException {
    node.close();
  }

  @Test
  void nodeExample_putsGetsDeletesAndIsRefusedAnEmptyKey() throws Exception {
    String missing = missingCommands("node", "npm");
    assumeTrue(missing.isEmpty(), "no Node.js toolchain for examples/node: " + missing);
    // In place: client.js loads ../../proto; node_modules/ is gitignored.
    ok(CommandRun.in(NODE_EXAMPLE, 300, List.of("npm", "ci", "--no-audit", "--no-fund")));

    CommandRun run = ok(CommandRun.in(NODE_EXAMPLE, 60, List.of("node", "client.js", target, "greeting")));

    assertPutGetDelete(run, "hello from Node.js");
  }

  @Test
  void pythonExample_putsGetsDeletesAndIsRefusedAnEmptyKey() throws Exception {
    String python = PythonExamples.interpreterFor(PYTHON_CLIENT, "python3-grpcio protobuf-compiler protobuf-compiler-grpc");

    CommandRun run = ok(CommandRun.of(List.of(python, PYTHON_CLIENT.toString(), target, "greeting")));

    assertPutGetDelete(run, "hello from Python");
  }

  private void assertPutGetDelete(CommandRun run, String value) throws Exception {
    System.out.print(run.stdout());
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines).as(run.toString()).hasSize(5);
    assertThat(lines.get(0)).matches("put greeting: stored on 1 replica\\(s\\), version [1-9][0-9]*");
    assertThat(lines.get(1)).isEqualTo("get greeting: " + value);
    assertThat(lines.get(2)).isEqualTo("delete greeting: tombstone on 1 replica(s)");
    assertThat(lines.get(3)).isEqualTo("get greeting: not found");
    assertThat(lines.get(4)).startsWith("put \"\": refused, INVALID_ARGUMENT: ").contains("key");
    // The Java client sees the delete too.
    CommandRun get = KadmeshCli.run("get", "--target", target, "greeting");
    assertThat(get.exit()).as(get.toString()).isEqualTo(1);
  }

  /** The commands of {@code names} that do not run (`NAME --version`), with why; "" when all do. */
  private static String missingCommands(String... names) throws InterruptedException {
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      try {
        CommandRun version = CommandRun.of(List.of(name, "--version"));
        if (version.exit() != 0) {
          missing.add(name + ": " + (version.stdout() + version.stderr()).strip());
        }
      } catch (IOException e) {
        missing.add(name + ": " + e.getMessage());
      }
    }
    return String.join("; ", missing);
  }

  private static CommandRun ok(CommandRun run) {
    assertThat(run.exit()).as(run.toString()).isZero();
    return run;
  }
}
