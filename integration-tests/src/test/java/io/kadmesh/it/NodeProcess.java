package io.kadmesh.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A `kadmesh node` started from the built executable, on ephemeral loopback ports that it reports
 * in its log. Stopped by its PID: SIGTERM, then SIGKILL if it does not exit in time.
 */
final class NodeProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile(
      "serving peers on (\\S+) \\(advertised as (\\S+)\\), applications on (\\S+),");

  private final Process process;
  private final CompletableFuture<String[]> addresses = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
  private final Thread reader;

  private NodeProcess(Process process) {
    this.process = process;
    this.reader = new Thread(this::readLog, "node-log-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

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
        javaBinary(), "-Xmx256m", "-Djava.io.tmpdir=" + tmp, "-jar", jar.toString(), "node",
        "--peer-address", peerAddress,
        "--api-address", apiAddress,
        // Many nodes run on one machine: none takes the default admin port.
        "--admin-address", "off",
        "--data-dir", dataDir.toString()));
    command.addAll(extraArgs);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    return new NodeProcess(p);
  }

  /**
   * A node started by an arbitrary command (a container's entrypoint script) with exactly this
   * environment, nothing inherited; it reports its addresses in its log as any node does.
   */
  static NodeProcess start(List<String> command, Map<String, String> environment)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process p = builder.start();
    p.getOutputStream().close();
    return new NodeProcess(p);
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The advertised peer address, once the node has bound its ports. */
  String peerAddress() throws Exception {
    return addresses.get(60, TimeUnit.SECONDS)[1];
  }

  /** The API address, once the node has bound its ports. */
  String apiAddress() throws Exception {
    return addresses.get(60, TimeUnit.SECONDS)[2];
  }

  /** Whether the node has bound its ports and said so (without waiting for it). */
  boolean listening() {
    return addresses.isDone() && !addresses.isCompletedExceptionally();
  }

  /** SIGTERM without waiting: {@link #close} then waits for the exit. */
  void terminate() {
    process.toHandle().destroy();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed; waits for the process to end. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(15, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(5));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String logText() {
    return String.join("\n", log);
  }

  private void readLog() {
    try (BufferedReader r = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        log.add(line);
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          addresses.complete(new String[] {m.group(1), m.group(2), m.group(3)});
        }
      }
    } catch (IOException e) {
      // The process is gone; what it said is in the log.
    } finally {
      addresses.completeExceptionally(new IllegalStateException(
          "node process " + process.pid() + " exited before listening:\n" + logText()));
    }
  }

  @Override
  public void close() throws InterruptedException {
    // SIGTERM through the handle: Process.destroy() would also close the pipes and lose the log.
    process.toHandle().destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    // The pipe closes with the process; wait for its last lines.
    reader.join(TimeUnit.SECONDS.toMillis(5));
  }

  int exitValue() {
    return process.exitValue();
  }

  /** Exit code after SIGTERM: the node shuts down gracefully and exits on the signal. */
  boolean exitedCleanly() {
    return !process.isAlive();
  }
}
