package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * Nodes SIGKILLed before they ever saved a contact snapshot, then the whole mesh restarted with no
 * --bootstrap: every node finds the mesh again and serves every key.
 */
class RejoinAfterEarlyKillProcessTest {
  private static final int NODES = 12;
  private static final int EARLY_KILLED = 3;
  private static final int KEYS = 300;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension final ProcessMesh mesh = new ProcessMesh(List.of("--k", "5"));

  @Test
  void meshRestartedWithoutBootstrap_afterNodesKilledSoonAfterJoining_servesEveryKeyThroughEveryNode()
      throws Exception {
    Random random = new Random(15);
    int steady = NODES - EARLY_KILLED;
    String first = mesh.startJoined(steady);
    awaitEveryNodeHasContacts(0, steady, 3, WAIT);

    Map<String, String> written = new LinkedHashMap<>();
    for (int i = 0; i < KEYS; i++) {
      written.put("rejoin-" + i, "value " + i + " of rejoin-" + i);
    }
    long putting = System.nanoTime();
    mesh.putAll(written, () -> random.nextInt(steady));
    Duration puts = Duration.ofNanos(System.nanoTime() - putting);

    // The last three join, answer, and die at once: long before any snapshot is due.
    long lateJoined = System.nanoTime();
    for (int i = steady; i < NODES; i++) {
      mesh.start(i, "127.0.0.1:0", List.of("--bootstrap", first));
    }
    awaitEveryNodeHasContacts(steady, NODES, 1, WAIT);
    List<String> peerAddresses = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      peerAddresses.add(mesh.node(i).peerAddress());
    }
    int killedWithoutSnapshot = 0;
    Map<Integer, Long> heldWhenKilled = new TreeMap<>();
    for (int i = steady; i < NODES; i++) {
      heldWhenKilled.put(i, mesh.client(i).info().storage().records());
      mesh.kill(i);
      if (!Files.exists(mesh.dataDir(i).resolve("contacts"))) {
        killedWithoutSnapshot++;
      }
    }
    Duration joinedToKilled = Duration.ofNanos(System.nanoTime() - lateJoined);
    for (int i = 0; i < steady; i++) {
      mesh.stop(i); // SIGTERM: saves its contacts, hands its records to the nodes still up
    }

    for (int i = 0; i < NODES; i++) {
      // The same peer port as before, since that is what the saved contacts name; no --bootstrap.
      mesh.restart(i, peerAddresses.get(i), List.of());
    }
    long listening = System.nanoTime();
    long deadline = listening + WAIT.toNanos();
    String rejoined;
    try {
      awaitEveryNodeHasContacts(0, NODES, 1, WAIT);
      rejoined = Duration.ofNanos(System.nanoTime() - listening).toMillis() + " ms";
    } catch (ConditionTimeoutException e) {
      rejoined = "never within " + WAIT.toSeconds() + " s";
    }
    Map<Integer, Integer> contactsAfterRestart = new TreeMap<>();
    for (int i = 0; i < NODES; i++) {
      contactsAfterRestart.put(i, mesh.contacts(i));
    }

    Map<Integer, Set<String>> unreadable = unreadable(written, allNodes(), written.keySet());
    int readableAtFirst = KEYS - keysIn(unreadable);
    Map<Integer, Integer> unreadablePerNode = new TreeMap<>();
    unreadable.forEach((node, keys) -> unreadablePerNode.put(node, keys.size()));
    AtomicReference<Map<Integer, Set<String>>> stillUnreadable = new AtomicReference<>(unreadable);
    Duration left = Duration.ofNanos(deadline - System.nanoTime());
    if (!unreadable.isEmpty() && !left.isNegative()) {
      try {
        await().atMost(left).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).until(() -> {
          Map<Integer, Set<String>> again = new ConcurrentHashMap<>();
          for (Map.Entry<Integer, Set<String>> failing : stillUnreadable.get().entrySet()) {
            again.putAll(unreadable(written, List.of(failing.getKey()), failing.getValue()));
          }
          stillUnreadable.set(again);
          return again.isEmpty();
        });
      } catch (ConditionTimeoutException e) {
        // Counted below.
      }
    }
    int readableAtEnd = KEYS - keysIn(stillUnreadable.get());

    System.out.printf("%nRESTART: nodes=%d k=5 keys=%d killed-soon-after-joining=%d "
            + "(%d of them without a contact snapshot, killed %d ms after they were started; the %d puts before took %d ms)%n"
            + "RESTART: records held by the early-killed nodes when killed=%s%n"
            + "RESTART: readable-through-every-node right after restart=%d, within %d s=%d%n"
            + "RESTART: unreadable keys per node (first read)=%s%n"
            + "RESTART: contacts per node after restart=%s%n"
            + "RESTART: every node has >=1 contact after %s%n%n",
        NODES, KEYS, EARLY_KILLED, killedWithoutSnapshot, joinedToKilled.toMillis(), KEYS, puts.toMillis(), heldWhenKilled,
        readableAtFirst, WAIT.toSeconds(), readableAtEnd, unreadablePerNode, contactsAfterRestart,
        rejoined);
    assertThat(contactsAfterRestart.values()).as("contacts per node after restart").allMatch(c -> c >= 1);
    assertThat(readableAtEnd).as("keys readable through every node").isEqualTo(KEYS);
  }

  private static List<Integer> allNodes() {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      all.add(i);
    }
    return all;
  }

  /** For each node, the keys it does not read with the value written. */
  private Map<Integer, Set<String>> unreadable(Map<String, String> written, List<Integer> nodes,
      Set<String> keys) throws Exception {
    Map<Integer, Set<String>> failing = new ConcurrentHashMap<>();
    for (int node : nodes) {
      mesh.readThrough(node, keys, (key, found) -> {
        if (!found.equals(Optional.of(written.get(key)))) {
          failing.computeIfAbsent(node, n -> ConcurrentHashMap.newKeySet()).add(key);
        }
      });
    }
    return failing;
  }

  private static int keysIn(Map<Integer, Set<String>> perNode) {
    Set<String> keys = new HashSet<>();
    perNode.values().forEach(keys::addAll);
    return keys.size();
  }

  private void awaitEveryNodeHasContacts(int from, int to, int atLeast, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (int i = from; i < to; i++) {
        if (mesh.contacts(i) < atLeast) {
          return false;
        }
      }
      return true;
    });
  }
}
