package io.kadmesh.it;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A running `kadmesh watch`: the lines it printed so far, as they come (its stderr kept apart for
 * failure messages). Stopped with SIGTERM, as a user's Ctrl-C would.
 */
final class KadmeshWatch implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final Process process;
  private final Thread out;
  private final Thread err;

  /** Starts {@code kadmesh watch ARGS}. */
  KadmeshWatch(String... args) throws IOException {
    String[] all = new String[args.length + 1];
    all[0] = "watch";
    System.arraycopy(args, 0, all, 1, args.length);
    process = new ProcessBuilder(KadmeshCli.command(all)).start();
    process.getOutputStream().close();
    out = reader(process.getInputStream(), lines, "watch-out-" + process.pid());
    err = reader(process.getErrorStream(), errors, "watch-err-" + process.pid());
  }

  /** The lines printed so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  /** Waits up to {@code wait} for a line that {@code matches}; answers the first such line. */
  String awaitLine(Duration wait, Predicate<String> matches) {
    await().atMost(wait).pollInterval(Duration.ofMillis(100))
        .alias("a matching line from kadmesh watch; it printed " + lines + ", stderr " + errors)
        .until(() -> lines.stream().anyMatch(matches));
    return lines.stream().filter(matches).findFirst().orElseThrow();
  }

  /** Waits up to {@code wait} until {@code matches} holds for {@code count} lines. */
  void awaitLines(Duration wait, int count, Predicate<String> matches) {
    await().atMost(wait).pollInterval(Duration.ofMillis(100))
        .alias(count + " matching lines from kadmesh watch; it printed " + lines + ", stderr "
            + errors)
        .until(() -> lines.stream().filter(matches).count() >= count);
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    out.join(TimeUnit.SECONDS.toMillis(5));
    err.join(TimeUnit.SECONDS.toMillis(5));
  }

  private static Thread reader(InputStream stream, List<String> into, String name) {
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          into.add(line);
        }
      } catch (IOException e) {
        // The process ended; the lines read are kept.
      }
    }, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
