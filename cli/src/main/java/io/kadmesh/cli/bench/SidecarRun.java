package io.kadmesh.cli.bench;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code kadmesh bench --sidecar}: how light one {@code kadmesh node} is, started as a user starts
 * it. For each set of JVM options, R times (the sets taking turns, so that the machine's load
 * falls on each alike): starts the real process with the node's defaults (a RocksDB store in a
 * fresh directory, admin port on, no bootstrap) on loopback ports, times exec to the first
 * {@code SERVING} of grpc.health.v1 on its API port and the CPU time it used by then, lets it idle, reads its VmRSS and thread
 * count from /proc, and stops it by its PID.
 */
final class SidecarRun {
  /** What to run: each entry of {@code javaOptions} is one set, compared with the others. */
  record Settings(List<List<String>> javaOptions, int runs, Duration idle) {}

  /** One start: exec to SERVING, and RSS and threads after the idle time. */
  record Sample(double startMs, double cpuMs, long rssKib, long rssAnonKib, long threads) {}

  /** The samples of one set of options, in the order they ran. */
  record SetResult(List<String> javaOptions, List<Sample> samples) {
    double[] startMs() {
      return samples.stream().mapToDouble(Sample::startMs).sorted().toArray();
    }

    double[] cpuMs() {
      return samples.stream().mapToDouble(Sample::cpuMs).sorted().toArray();
    }

    double[] rssMib() {
      return samples.stream().mapToDouble(s -> s.rssKib() / 1024.0).sorted().toArray();
    }

    /** The private part of the RSS: what is not mapped from files (the JVM, its archives, libraries). */
    double[] rssAnonMib() {
      return samples.stream().mapToDouble(s -> s.rssAnonKib() / 1024.0).sorted().toArray();
    }

    double[] threads() {
      return samples.stream().mapToDouble(Sample::threads).sorted().toArray();
    }
  }

  private static final long LISTEN_LIMIT_S = 60;
  private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

  private final Settings settings;

  SidecarRun(Settings settings) {
    this.settings = settings;
  }

  List<SetResult> run() throws IOException, InterruptedException {
    List<List<Sample>> samples = new ArrayList<>();
    for (int s = 0; s < settings.javaOptions().size(); s++) samples.add(new ArrayList<>());
    for (int r = 0; r < settings.runs(); r++) {
      for (int s = 0; s < settings.javaOptions().size(); s++) {
        samples.get(s).add(once(settings.javaOptions().get(s)));
      }
    }
    List<SetResult> results = new ArrayList<>();
    for (int s = 0; s < samples.size(); s++) {
      results.add(new SetResult(settings.javaOptions().get(s), samples.get(s)));
    }
    return results;
  }

  private Sample once(List<String> javaOptions) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("kadmesh-sidecar-");
    // As in a shell, NAME=VALUE before the options sets an environment variable (glibc's
    // MALLOC_ARENA_MAX, RocksDB's ROCKSDB_MUSL_LIBC: what bin/kadmesh exports for a node).
    Map<String, String> environment = new LinkedHashMap<>();
    List<String> options = new ArrayList<>();
    for (String o : javaOptions) {
      if (options.isEmpty() && ENVIRONMENT_VARIABLE.matcher(o).matches()) {
        environment.put(o.substring(0, o.indexOf('=')), o.substring(o.indexOf('=') + 1));
      } else {
        options.add(o);
      }
    }
    try (NodeProcess node = NodeProcess.start(environment, options, dir, true,
        List.of("--data-dir", dir.resolve("data").toString()))) {
      double startMs = untilServing(node) / 1e6;
      // CPU time is what a loaded machine distorts least: wall time waits for the other jobs.
      double cpuMs = node.cpuMillis();
      // Idling is what is measured here: the node runs its timers, nothing else.
      Thread.sleep(settings.idle().toMillis());
      return new Sample(startMs, cpuMs, node.status("VmRSS"), node.status("RssAnon"),
          node.status("Threads"));
    } finally {
      deleteTree(dir);
    }
  }

  /** Nanoseconds from exec to the first SERVING on the node's API port. */
  private static long untilServing(NodeProcess node) throws IOException {
    String api = node.apiAddress(LISTEN_LIMIT_S);
    ManagedChannel channel = Grpc.newChannelBuilder(api, InsecureChannelCredentials.create())
        .build();
    try {
      // Watch sends the current status at once, then each change: no polling.
      Iterator<HealthCheckResponse> updates = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(LISTEN_LIMIT_S, TimeUnit.SECONDS)
          .watch(HealthCheckRequest.getDefaultInstance());
      while (updates.hasNext()) {
        if (updates.next().getStatus() == ServingStatus.SERVING) {
          return System.nanoTime() - node.startedNanos();
        }
      }
      throw new IOException("node " + node.pid() + " ended its health watch before SERVING");
    } catch (StatusRuntimeException e) {
      throw new IOException("node " + node.pid() + " did not report SERVING: " + e.getStatus()
          + "\n" + node.logText(), e);
    } finally {
      channel.shutdownNow();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  /** The value at {@code fraction} of sorted {@code v} (nearest rank), NaN when empty. */
  static double quantile(double[] v, double fraction) {
    if (v.length == 0) return Double.NaN;
    double[] s = v.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(fraction * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }
}
