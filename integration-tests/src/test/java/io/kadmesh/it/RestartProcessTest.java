package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.Entry;
import io.kadmesh.client.KadmeshClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mesh of `kadmesh node` processes stopped and started again from their data directories with no
 * --bootstrap: they rejoin through the contacts they saved, and every record is still there.
 */
class RestartProcessTest {
  private static final Path JAR = ProcessMesh.JAR;
  private static final int NODES = 4;
  private static final int KEYS = 100;
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<NodeProcess> processes = new ArrayList<>();

  @TempDir Path dataDirs;

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (NodeProcess node : processes) {
      node.close();
    }
  }

  @Test
  void meshStoppedAndRestartedWithoutBootstrap_rejoinsThroughSavedContacts_andServesEveryKey() throws Exception {
    List<NodeProcess> mesh = new ArrayList<>();
    mesh.add(start(0, "127.0.0.1:0", List.of()));
    String first = mesh.get(0).peerAddress();
    for (int i = 1; i < NODES; i++) {
      mesh.add(start(i, "127.0.0.1:0", List.of("--bootstrap", first)));
    }
    awaitContacts(mesh, NODES - 1);
    for (int n = 0; n < NODES; n++) {
      try (KadmeshClient client = client(mesh.get(n))) {
        for (int i = n; i < KEYS; i += NODES) {
          assertThat(client.put("restart-" + i, "v" + i).replicas()).isEqualTo(NODES);
        }
      }
    }
    List<String> peerAddresses = new ArrayList<>();
    for (NodeProcess node : mesh) {
      peerAddresses.add(node.peerAddress());
      node.close(); // SIGTERM: the node saves its contacts and closes its store
      assertThat(node.exitedCleanly()).isTrue();
    }

    long restarting = System.nanoTime();
    List<NodeProcess> restarted = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      // The same peer port as before, since that is what the saved contacts name; no --bootstrap.
      restarted.add(startRetryingOnce(i, peerAddresses.get(i)));
    }
    for (NodeProcess node : restarted) {
      assertThat(node.peerAddress()).isEqualTo(peerAddresses.get(restarted.indexOf(node)));
      await().atMost(Duration.ofSeconds(30)).until(() -> node.logText().contains("saved contacts"));
    }
    long listening = System.nanoTime();
    awaitContacts(restarted, 1);
    Duration rejoined = Duration.ofNanos(System.nanoTime() - listening);
    awaitContacts(restarted, NODES - 1);
    Duration fullyMeshed = Duration.ofNanos(System.nanoTime() - listening);
    Duration startingAll = Duration.ofNanos(listening - restarting);

    int lost = 0;
    for (int n = 0; n < NODES; n++) {
      try (KadmeshClient client = client(restarted.get(n))) {
        // Through a node other than the one that wrote it.
        for (int i = (n + NODES - 1) % NODES; i < KEYS; i += NODES) {
          Optional<Entry> entry = client.get("restart-" + i);
          if (entry.isEmpty() || !entry.get().valueAsString().equals("v" + i)) {
            lost++;
          }
        }
      }
    }
    System.out.printf("restart: nodes=%d keys=%d lost=%d starting-all-processes=%d ms, then "
        + "every-node-has-a-contact=%d ms fully-meshed=%d ms%n", NODES, KEYS, lost,
        startingAll.toMillis(), rejoined.toMillis(), fullyMeshed.toMillis());
    assertThat(lost).isZero();
  }

  private NodeProcess start(int index, String peerAddress, List<String> args) throws Exception {
    NodeProcess node = NodeLauncher.start(JAR, dataDirs.resolve("node-" + index), peerAddress, args);
    processes.add(node);
    return node;
  }

  /** The old port was free a moment ago; should another process have taken it since, try once more. */
  private NodeProcess startRetryingOnce(int index, String peerAddress) throws Exception {
    NodeProcess node = start(index, peerAddress, List.of());
    try {
      node.peerAddress();
      return node;
    } catch (Exception e) {
      node.close();
      NodeProcess again = start(index, peerAddress, List.of());
      again.peerAddress();
      return again;
    }
  }

  private static KadmeshClient client(NodeProcess node) throws Exception {
    return KadmeshClient.connect(node.apiAddress());
  }

  private static void awaitContacts(List<NodeProcess> nodes, int atLeast) throws Exception {
    for (NodeProcess node : nodes) {
      try (KadmeshClient client = client(node)) {
        await().atMost(WAIT).ignoreExceptions().until(() -> client.info().contacts() >= atLeast);
      }
    }
  }
}
