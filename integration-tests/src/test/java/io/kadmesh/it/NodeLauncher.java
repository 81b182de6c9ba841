package io.kadmesh.it;

import io.kadmesh.cli.bench.NodeProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the tests' `kadmesh node` processes from the built executable, on ephemeral loopback
 * ports that they report in their log; {@link NodeProcess} (the bench's) watches and stops them.
 */
final class NodeLauncher {
  private NodeLauncher() {}

  static NodeProcess start(Path jar, Path dataDir, List<String> extraArgs) throws IOException {
    return start(jar, dataDir, "127.0.0.1:0", extraArgs);
  }

  /** A node whose peer port binds {@code peerAddress}: a restart on the port it had before. */
  static NodeProcess start(Path jar, Path dataDir, String peerAddress, List<String> extraArgs)
      throws IOException {
    return start(List.of(), jar, dataDir, peerAddress, "127.0.0.1:0", extraArgs);
  }

  /**
   * A node run under a command prefix (such as {@code ip netns exec NS}, to run it in a network
   * namespace) with its peer and API ports bound where the caller says.
   */
  static NodeProcess start(List<String> prefix, Path jar, Path dataDir, String peerAddress,
      String apiAddress, List<String> extraArgs) throws IOException {
    // RocksDB unpacks its native library into java.io.tmpdir and deletes it only on a normal
    // exit: keep it inside the test's own directory so that a SIGKILLed node leaves nothing behind.
    Path tmp = Files.createDirectories(dataDir.resolveSibling(dataDir.getFileName() + "-tmp"));
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(
        NodeProcess.javaBinary(), "-Xmx256m", "-Djava.io.tmpdir=" + tmp,
        "-jar", jar.toString(), "node",
        "--peer-address", peerAddress,
        "--api-address", apiAddress,
        // Many nodes run on one machine: none takes the default admin port.
        "--admin-address", "off",
        "--data-dir", dataDir.toString()));
    command.addAll(extraArgs);
    return NodeProcess.start(new ProcessBuilder(command));
  }

  /**
   * A node started by an arbitrary command (a container's entrypoint script) with exactly this
   * environment, nothing inherited; it reports its addresses in its log as any node does.
   */
  static NodeProcess start(List<String> command, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    return NodeProcess.start(builder);
  }
}
