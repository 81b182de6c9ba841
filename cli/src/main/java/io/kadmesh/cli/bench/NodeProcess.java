package io.kadmesh.cli.bench;

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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code kadmesh node} process, for the bench and the process tests: its log (stdout and
 * stderr together) read as it comes, the addresses it reports there once it has bound its ports,
 * and its end by PID: SIGTERM, then SIGKILL if it does not exit in time.
 */
public final class NodeProcess implements AutoCloseable {
  /** How long {@link #peerAddress()} and {@link #apiAddress()} wait for the node to listen. */
  public static final long LISTEN_TIMEOUT_SECONDS = 60;

  private static final Pattern LISTENING = Pattern.compile(
      "serving peers on (\\S+) \\(advertised as (\\S+)\\), applications on (\\S+),");

  private final Process process;
  private final long startedNanos;
  private final CompletableFuture<String[]> addresses = new CompletableFuture<>();
  private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
  private final Thread reader;

  private NodeProcess(Process process, long startedNanos) {
    this.process = process;
    this.startedNanos = startedNanos;
    reader = new Thread(this::readLog, "node-log-" + process.pid());
    reader.setDaemon(true);
  }

  /**
   * Starts whatever {@code builder} runs (a {@code kadmesh node} command line, a container's
   * entrypoint script) with its stderr merged into its stdout and its stdin closed.
   */
  public static NodeProcess start(ProcessBuilder builder) throws IOException {
    long t0 = System.nanoTime();
    Process p = builder.redirectErrorStream(true).start();
    p.getOutputStream().close();
    NodeProcess node = new NodeProcess(p, t0);
    node.reader.start();
    return node;
  }

  /**
   * Starts {@code kadmesh node} with {@code javaOptions}, its peer, API and admin ports on
   * 127.0.0.1:0 (admin off when {@code admin} is false), its temporary files under {@code dir},
   * then {@code nodeArgs}: the same JVM binary and class path as this process (the shaded jar when
   * run as {@code java -jar kadmesh.jar}).
   */
  static NodeProcess start(List<String> javaOptions, Path dir, boolean admin,
      List<String> nodeArgs) throws IOException {
    return start(Map.of(), javaOptions, dir, admin, nodeArgs);
  }

  /** As the one above, with {@code environment} added to this process's for the node. */
  static NodeProcess start(Map<String, String> environment, List<String> javaOptions, Path dir,
      boolean admin, List<String> nodeArgs) throws IOException {
    // RocksDB unpacks its native library into java.io.tmpdir: keep it in the run's directory.
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.addAll(javaOptions);
    command.addAll(List.of("-Djava.io.tmpdir=" + tmp,
        "-cp", System.getProperty("java.class.path"), "io.kadmesh.cli.KadmeshMain", "node",
        "--peer-address", "127.0.0.1:0", "--api-address", "127.0.0.1:0",
        "--admin-address", admin ? "127.0.0.1:0" : "off"));
    command.addAll(nodeArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(environment);
    return start(builder);
  }

  /** The {@code java} binary of the running JVM. */
  public static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** When the process was started, on {@link System#nanoTime}'s scale. */
  long startedNanos() {
    return startedNanos;
  }

  public long pid() {
    return process.pid();
  }

  /** The advertised peer address, once the node has bound its ports. */
  public String peerAddress(long timeoutSeconds) throws IOException {
    return addresses(timeoutSeconds)[1];
  }

  /** The API address, once the node has bound its ports. */
  public String apiAddress(long timeoutSeconds) throws IOException {
    return addresses(timeoutSeconds)[2];
  }

  /** The advertised peer address, waiting up to {@link #LISTEN_TIMEOUT_SECONDS}. */
  public String peerAddress() throws IOException {
    return peerAddress(LISTEN_TIMEOUT_SECONDS);
  }

  /** The API address, waiting up to {@link #LISTEN_TIMEOUT_SECONDS}. */
  public String apiAddress() throws IOException {
    return apiAddress(LISTEN_TIMEOUT_SECONDS);
  }

  /** Whether the node has bound its ports and said so (without waiting for it). */
  public boolean listening() {
    return addresses.isDone() && !addresses.isCompletedExceptionally();
  }

  private String[] addresses(long timeoutSeconds) throws IOException {
    try {
      return addresses.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException("node process " + pid() + " did not listen within "
          + timeoutSeconds + " s:\n" + logText());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** A line of /proc/PID/status ({@code VmRSS}, {@code Threads}) as a number, or -1. */
  long status(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or the process is gone: unknown
    }
    return -1;
  }

  /** User plus system CPU time the process used so far (/proc/PID/stat), or NaN. */
  double cpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
      // The fields after the command name, which may hold spaces: state is the first (field 3).
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      // USER_HZ is 100 on Linux.
      return ticks * 10.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Everything the process wrote so far, one line per line. */
  public String logText() {
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
      addresses.completeExceptionally(new IOException(
          "node process " + process.pid() + " exited before listening:\n" + logText()));
    }
  }

  /** SIGTERM without waiting: {@link #close} then waits for the exit. */
  public void terminate() {
    // Through the handle: Process.destroy() would also close the pipes and lose the log.
    process.toHandle().destroy();
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed; waits for the process to end. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(15, TimeUnit.SECONDS);
    reader.join(TimeUnit.SECONDS.toMillis(5));
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The exit code; throws {@link IllegalThreadStateException} while the process runs. */
  public int exitValue() {
    return process.exitValue();
  }

  /** Whether the process has ended (after SIGTERM, the node shuts down and exits on the signal). */
  public boolean exitedCleanly() {
    return !process.isAlive();
  }

  /** SIGTERM by PID; SIGKILL after 15 s; then waits for the last lines of its log. */
  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.toHandle().destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    // The pipe closes with the process; wait for its last lines.
    reader.join(TimeUnit.SECONDS.toMillis(5));
  }
}
