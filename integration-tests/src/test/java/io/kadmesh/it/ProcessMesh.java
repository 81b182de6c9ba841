package io.kadmesh.it;

import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.Entry;
import io.kadmesh.client.KadmeshClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntSupplier;

/**
 * The `kadmesh node` processes of one test on loopback, one data directory per node index and one
 * network name per mesh: started, killed and restarted by index, stopped by PID at the end.
 * Registered as a JUnit extension, it stops its processes and removes its data directories after
 * each test.
 */
final class ProcessMesh implements AutoCloseable, AfterEachCallback {
  static final Path JAR = Path.of(System.getProperty("kadmesh.jar", "../cli/target/kadmesh.jar"));
  /** Reads a mesh-wide check keeps in flight. */
  private static final int READS_IN_FLIGHT = 16;

  private final Path dataDirs;
  private final String network = "it-" + UUID.randomUUID();
  private final List<String> commonArgs;
  private final List<NodeProcess> started = new ArrayList<>();
  private final ConcurrentHashMap<Integer, NodeProcess> current = new ConcurrentHashMap<>();
  // By process, not index: a client of a node that has since been restarted is never reused.
  private final ConcurrentHashMap<NodeProcess, KadmeshClient> clients = new ConcurrentHashMap<>();

  /** {@code commonArgs}: the flags every node of the mesh gets. */
  ProcessMesh(List<String> commonArgs) {
    try {
      this.dataDirs = Files.createTempDirectory("kadmesh-mesh-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.commonArgs = List.copyOf(commonArgs);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    closeAndDelete();
  }

  /**
   * Stops the processes and removes the data directories: what {@link #afterEach} does, for a mesh
   * that a test class shares between its tests and ends in its {@code @AfterAll}.
   */
  void closeAndDelete() throws Exception {
    close();
    try (Stream<Path> paths = Files.walk(dataDirs)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  Path dataDir(int index) {
    return dataDirs.resolve("node-" + index);
  }

  /** Starts node {@code index} on its data directory, its peer port binding {@code peerAddress}. */
  NodeProcess start(int index, String peerAddress, List<String> args) throws Exception {
    return start(index, List.of(), peerAddress, "127.0.0.1:0", args);
  }

  /** As above, run under a command prefix with its API port bound to {@code apiAddress}. */
  synchronized NodeProcess start(int index, List<String> prefix, String peerAddress,
      String apiAddress, List<String> args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--network", network));
    all.addAll(commonArgs);
    all.addAll(args);
    NodeProcess node = NodeLauncher.start(prefix, JAR, dataDir(index), peerAddress, apiAddress, all);
    started.add(node);
    NodeProcess before = current.put(index, node);
    if (before != null) {
      closeClient(before);
    }
    return node;
  }

  /**
   * Starts node {@code index} again on the peer address it had, which its peers remember; should
   * another process have taken the port since it was freed, tries once more.
   */
  /**
   * Starts nodes 0 to {@code count - 1} on loopback ephemeral ports, node 0 alone and the others
   * through it; answers node 0's peer address.
   */
  String startJoined(int count) throws Exception {
    start(0, "127.0.0.1:0", List.of());
    String first = node(0).peerAddress();
    for (int i = 1; i < count; i++) {
      start(i, "127.0.0.1:0", List.of("--bootstrap", first));
    }
    return first;
  }

  NodeProcess restart(int index, String peerAddress, List<String> args) throws Exception {
    NodeProcess node = start(index, peerAddress, args);
    try {
      node.apiAddress();
      return node;
    } catch (Exception e) {
      node.close();
      NodeProcess again = start(index, peerAddress, args);
      again.apiAddress();
      return again;
    }
  }

  NodeProcess node(int index) {
    return current.get(index);
  }

  /** A client of the node now running at {@code index}, with a 10 s deadline per call. */
  KadmeshClient client(int index) throws Exception {
    NodeProcess node = current.get(index);
    String api = node.apiAddress();
    return clients.computeIfAbsent(node, n -> KadmeshClient.connect(api));
  }

  /** A client of node {@code index} if it is up and listening now; empty while it is not. */
  Optional<KadmeshClient> clientIfListening(int index) throws Exception {
    NodeProcess node = current.get(index);
    if (node == null || !node.isAlive() || !node.listening()) {
      return Optional.empty();
    }
    String api = node.apiAddress();
    return Optional.of(clients.computeIfAbsent(node, n -> KadmeshClient.connect(api)));
  }

  /** How many contacts node {@code index} reports, or -1 when it does not answer. */
  int contacts(int index) {
    try {
      return client(index).withTimeout(Duration.ofSeconds(3)).info().contacts();
    } catch (Exception e) {
      return -1;
    }
  }

  /** Kills node {@code index} with SIGKILL. */
  void kill(int index) throws InterruptedException {
    NodeProcess node = current.get(index);
    node.kill();
    closeClient(node);
  }

  /** Stops node {@code index} with SIGTERM (it saves its contacts and hands off its records). */
  void stop(int index) throws InterruptedException {
    NodeProcess node = current.get(index);
    node.close();
    closeClient(node);
  }

  /**
   * Reads {@code keys} through node {@code index}, a bounded number at a time, and hands each key
   * with what was found (empty when not found or when the read failed) to {@code found}.
   */
  void readThrough(int index, Collection<String> keys, BiConsumer<String, Optional<String>> found)
      throws Exception {
    readEach(index, keys, (key, read) -> found.accept(key, read.value()));
  }

  /** What one read through one node gave: a value, nothing found, or a failure. */
  record Read(Optional<Entry> entry, Throwable failure) {
    boolean failed() {
      return failure != null;
    }

    Optional<String> value() {
      return entry.map(Entry::valueAsString);
    }
  }

  /** As above, telling a failed read apart from one that found nothing. */
  void readEach(int index, Collection<String> keys, ReadConsumer found) throws Exception {
    KadmeshClient client = client(index);
    Semaphore inFlight = new Semaphore(READS_IN_FLIGHT);
    List<CompletableFuture<?>> reads = new ArrayList<>();
    for (String key : keys) {
      inFlight.acquire();
      reads.add(client.getAsync(key)
          .handle((entry, failure) -> {
            inFlight.release();
            found.accept(key, failure != null
                ? new Read(Optional.empty(), failure)
                : new Read(entry, null));
            return null;
          }));
    }
    CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
  }

  /**
   * Puts every key with its value through a node {@code through} picks for it, a bounded number at
   * a time; fails unless every put is acknowledged.
   */
  void putAll(Map<String, String> values, IntSupplier through) throws Exception {
    Semaphore inFlight = new Semaphore(READS_IN_FLIGHT);
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      inFlight.acquire();
      puts.add(client(through.getAsInt())
          .putAsync(e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8))
          .whenComplete((result, failure) -> inFlight.release()));
    }
    CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
  }

  /** Receives each read of {@link #readEach}. */
  interface ReadConsumer {
    void accept(String key, Read read);
  }

  private void closeClient(NodeProcess node) {
    KadmeshClient client = clients.remove(node);
    if (client != null) {
      client.close();
    }
  }

  /** SIGTERM to every process this mesh started that still runs, by PID. */
  @Override
  public synchronized void close() throws InterruptedException {
    for (KadmeshClient client : clients.values()) {
      client.close();
    }
    clients.clear();
    // SIGTERM to all first, so that they shut down side by side, then wait for each.
    for (NodeProcess node : started) {
      node.terminate();
    }
    for (NodeProcess node : started) {
      node.close();
    }
  }
}
