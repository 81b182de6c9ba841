package io.kadmesh.it;

import io.kadmesh.cli.bench.NodeProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs a `kadmesh` command from the built executable and keeps what it said. */
final class KadmeshCli {
  private KadmeshCli() {}

  static CommandRun run(String... args) throws IOException, InterruptedException {
    return CommandRun.of(command(args));
  }

  /**
   * The command line of {@code kadmesh ARGS}. A command lives for a second or two: the JIT's first
   * tier and the serial collector start it faster, on the busy cores that tests share.
   */
  static List<String> command(String... args) {
    List<String> command = new ArrayList<>(List.of(NodeProcess.javaBinary(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", ProcessMesh.JAR.toString()));
    command.addAll(List.of(args));
    return command;
  }
}
