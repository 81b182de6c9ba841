package io.kadmesh.it;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs a `kadmesh` command from the built executable and keeps what it said. */
final class KadmeshCli {
  private KadmeshCli() {}

  static CommandRun run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(NodeProcess.javaBinary(), "-jar", ProcessMesh.JAR.toString()));
    command.addAll(List.of(args));
    return CommandRun.of(command);
  }
}
