package io.kadmesh.it;

import static io.kadmesh.it.ProcessMesh.JAR;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.ManagedChannel;
import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.KadmeshChannels;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.ResolveRequest;
import io.kadmesh.proto.v1.ResolveResponse;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The put/get/delete clients and the announce/resolve/watch programs (mesh.js, mesh.py) of
 * examples/node and examples/python, each run against a `kadmesh node` process, their output
 * asserted line by line. A missing toolchain skips its test with the
 * reason; an `npm ci` that fails (no registry, say) fails the Node test with npm's output.
 */
class ExampleClientsProcessTest {
  private static final Path NODE_EXAMPLE = Path.of("../examples/node");
  private static final Path PYTHON_CLIENT = Path.of("../examples/python/client.py");
  private static final Path PYTHON_MESH = Path.of("../examples/python/mesh.py");
  private static final String FIRST = "127.0.0.1:50071";
  private static final String SECOND = "127.0.0.1:50072";

  @TempDir Path dir;

  private NodeProcess node;
  private String target;

  @BeforeEach
  void startNode() throws Exception {
    node = NodeLauncher.start(JAR, dir.resolve("node"), List.of());
    target = node.apiAddress();
  }

  @AfterEach
  void stopNode() throws InterruptedException {
    node.close();
  }

  @Test
  void nodeExample_putsGetsDeletesAndIsRefusedAnEmptyKey() throws Exception {
    installNodeExample();

    CommandRun run = ok(CommandRun.in(NODE_EXAMPLE, 60, List.of("node", "client.js", target, "greeting")));

    assertPutGetDelete(run, "hello from Node.js");
  }

  @Test
  void pythonExample_putsGetsDeletesAndIsRefusedAnEmptyKey() throws Exception {
    String python = PythonExamples.interpreterFor(PYTHON_CLIENT, "python3-grpcio protobuf-compiler protobuf-compiler-grpc");

    CommandRun run = ok(CommandRun.of(List.of(python, PYTHON_CLIENT.toString(), target, "greeting")));

    assertPutGetDelete(run, "hello from Python");
  }

  @Test
  void nodeMeshExample_announcesResolvesAndSeesAddedAndRemovedInItsWatch() throws Exception {
    installNodeExample();

    CommandRun run = ok(CommandRun.in(NODE_EXAMPLE, 60, List.of("node", "mesh.js", target, "orders", FIRST, SECOND)));

    assertMesh(run);
  }

  @Test
  void pythonMeshExample_announcesResolvesAndSeesAddedAndRemovedInItsWatch() throws Exception {
    String python = PythonExamples.interpreterFor(PYTHON_MESH, "python3-grpcio protobuf-compiler protobuf-compiler-grpc");

    CommandRun run = ok(CommandRun.of(List.of(python, PYTHON_MESH.toString(), target, "orders", FIRST, SECOND)));

    assertMesh(run);
  }

  private static void installNodeExample() throws Exception {
    String missing = missingCommands("node", "npm");
    assumeTrue(missing.isEmpty(), "no Node.js toolchain for examples/node: " + missing);
    // In place: the programs load ../../proto; node_modules/ is gitignored.
    ok(CommandRun.in(NODE_EXAMPLE, 300, List.of("npm", "ci", "--no-audit", "--no-fund")));
  }

  private void assertMesh(CommandRun run) throws Exception {
    System.out.print(run.stdout());
    List<String> lines = run.stdout().lines().toList();
    assertThat(lines).as(run.toString()).hasSize(8);
    assertThat(lines.get(0)).matches("announce orders " + FIRST + ": on [1-9][0-9]* replica\\(s\\)");
    assertThat(lines.get(1)).isEqualTo("resolve orders: " + FIRST);
    assertThat(lines.get(2)).isEqualTo("watch orders: synced, " + FIRST);
    assertThat(lines.get(3)).matches("announce orders " + SECOND + ": on [1-9][0-9]* replica\\(s\\)");
    assertThat(lines.get(4)).isEqualTo("watch orders: added " + SECOND);
    assertThat(lines.get(5)).isEqualTo("withdraw orders " + SECOND);
    assertThat(lines.get(6)).isEqualTo("watch orders: removed " + SECOND);
    assertThat(lines.get(7)).isEqualTo("withdraw orders " + FIRST);
    // The Java stubs see both withdrawals too.
    ManagedChannel channel = KadmeshChannels.plaintext(target);
    try {
      ResolveResponse resolved =
          DhtGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .resolve(ResolveRequest.newBuilder().setService("orders").build());
      assertThat(resolved.getEndpointsList()).isEmpty();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
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
