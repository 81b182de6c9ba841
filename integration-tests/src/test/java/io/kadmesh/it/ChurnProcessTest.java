package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kadmesh.client.KadmeshClient;
import io.kadmesh.client.KadmeshException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * Node processes SIGKILLed and restarted from their data directories one at a time under a stream
 * of writes: every acknowledged write reads back, and none reads older than acknowledged.
 */
class ChurnProcessTest {
  private static final int NODES = 8;
  private static final int WRITERS = 2;
  private static final Duration CHURN =
      Duration.ofSeconds(Long.getLong("kadmesh.churn.seconds", 60));
  private static final Duration RESTART_EVERY = Duration.ofSeconds(12);
  private static final int READS_PER_KEY = 3;
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(5);

  @RegisterExtension final ProcessMesh mesh = new ProcessMesh(List.of("--k", "5"));

  @Test
  void meshUnderWrites_withNodesKilledAndRestartedOneAtATime_losesNoAcknowledgedWriteAndReadsNoneStale()
      throws Exception {
    Random random = new Random(12);
    mesh.startJoined(NODES);
    List<String> peerAddresses = new ArrayList<>();
    for (int i = 0; i < NODES; i++) {
      peerAddresses.add(mesh.node(i).peerAddress());
    }
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (int i = 0; i < NODES; i++) {
        if (mesh.contacts(i) < 3) {
          return false;
        }
      }
      return true;
    });

    // Key -> sequence number of its last acknowledged value; each writer owns its keys.
    Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    AtomicLong sequence = new AtomicLong();
    AtomicLong acks = new AtomicLong();
    AtomicLong failedPuts = new AtomicLong();
    AtomicLong singleReplicaAcks = new AtomicLong();
    AtomicBoolean writing = new AtomicBoolean(true);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      Thread t = new Thread(() -> write(writer, acknowledged, sequence, acks, failedPuts,
          singleReplicaAcks, writing), "writer-" + w);
      t.setDaemon(true);
      writers.add(t);
    }
    writers.forEach(Thread::start);

    long churnStart = System.nanoTime();
    int restarts = 0;
    List<String> restartedContacts = new ArrayList<>();
    int victim = -1;
    for (long tick = churnStart + RESTART_EVERY.toNanos();
        tick - churnStart <= CHURN.toNanos() - RESTART_EVERY.toNanos() / 2;
        tick += RESTART_EVERY.toNanos()) {
      long untilTick = tick - System.nanoTime();
      if (untilTick > 0) {
        Thread.sleep(untilTick / 1_000_000); // pacing of the churn, not a wait for a condition
      }
      if (victim >= 0) {
        // The node restarted last time, one period after its restart.
        restartedContacts.add(victim + ":" + mesh.contacts(victim));
      }
      int next;
      do {
        next = random.nextInt(NODES);
      } while (next == victim);
      victim = next;
      mesh.kill(victim);
      // From its data directory on its old peer port, with no --bootstrap, as after a reboot.
      mesh.restart(victim, peerAddresses.get(victim), List.of());
      restarts++;
    }
    long remaining = CHURN.toNanos() - (System.nanoTime() - churnStart);
    if (remaining > 0) {
      Thread.sleep(remaining / 1_000_000); // pacing: the rest of the run, writes still going
    }
    writing.set(false);
    for (Thread t : writers) {
      t.join(PUT_TIMEOUT.multipliedBy(3).toMillis());
    }
    Duration churned = Duration.ofNanos(System.nanoTime() - churnStart);
    if (victim >= 0) {
      restartedContacts.add(victim + ":" + mesh.contacts(victim));
    }
    long cutOffRestarts = restartedContacts.stream().filter(s -> s.endsWith(":0")).count();
    Map<Integer, Integer> contactsAtEnd = new HashMap<>();
    for (int i = 0; i < NODES; i++) {
      contactsAtEnd.put(i, mesh.contacts(i));
    }

    Map<Integer, List<String>> readsPerNode = new HashMap<>();
    for (String key : acknowledged.keySet()) {
      List<Integer> nodes = new ArrayList<>();
      while (nodes.size() < READS_PER_KEY) {
        int n = random.nextInt(NODES);
        if (!nodes.contains(n)) {
          nodes.add(n);
        }
      }
      for (int n : nodes) {
        readsPerNode.computeIfAbsent(n, i -> new ArrayList<>()).add(key);
      }
    }
    AtomicLong reads = new AtomicLong();
    AtomicLong lost = new AtomicLong();
    AtomicLong stale = new AtomicLong();
    AtomicLong newerThanAcknowledged = new AtomicLong();
    AtomicLong readErrors = new AtomicLong();
    Map<Integer, AtomicLong> lostPerNode = new ConcurrentHashMap<>();
    long readingStart = System.nanoTime();
    for (Map.Entry<Integer, List<String>> e : readsPerNode.entrySet()) {
      mesh.readEach(e.getKey(), e.getValue(), (key, read) -> {
        reads.incrementAndGet();
        if (read.failed()) {
          readErrors.incrementAndGet();
          return;
        }
        if (read.value().isEmpty()) {
          lost.incrementAndGet();
          lostPerNode.computeIfAbsent(e.getKey(), n -> new AtomicLong()).incrementAndGet();
          return;
        }
        long seq = sequenceOf(read.value().get());
        long expected = acknowledged.get(key);
        if (seq < expected) {
          stale.incrementAndGet();
        } else if (seq > expected) {
          newerThanAcknowledged.incrementAndGet();
        }
      });
    }
    Duration readingTook = Duration.ofNanos(System.nanoTime() - readingStart);

    System.out.printf("%nCHURN: nodes=%d k=5 churn=%d s restarts=%d (one SIGKILL, then restart with no --bootstrap, every %d s) "
            + "writers=%d%n"
            + "CHURN: puts acknowledged=%d (of them with 1 replica=%d) puts failed=%d keys=%d%n"
            + "CHURN: reads=%d (%d per key) lost=%d stale=%d read-errors=%d "
            + "newer-than-acknowledged=%d (read in %d ms)%n"
            + "CHURN: lost per node=%s%n"
            + "CHURN: restarted node:contacts one period after its restart=%s (0 contacts: %d)%n"
            + "CHURN: contacts per node at the end=%s%n%n",
        NODES, churned.toSeconds(), restarts, RESTART_EVERY.toSeconds(), WRITERS,
        acks.get(), singleReplicaAcks.get(), failedPuts.get(), acknowledged.size(),
        reads.get(), READS_PER_KEY, lost.get(), stale.get(), readErrors.get(),
        newerThanAcknowledged.get(), readingTook.toMillis(), lostPerNode, restartedContacts,
        cutOffRestarts, contactsAtEnd);
    assertThat(lost.get()).as("reads of an acknowledged key that found nothing").isZero();
    assertThat(stale.get()).as("reads older than the last acknowledged write").isZero();
    assertThat(readErrors.get()).as("reads that failed").isZero();
  }

  /**
   * Puts through random nodes: a new key or, half the time, a key this writer acknowledged
   * before, each time with a value of its own; only an acknowledged put is remembered.
   */
  private void write(int writer, Map<String, Long> acknowledged, AtomicLong sequence,
      AtomicLong acks, AtomicLong failedPuts, AtomicLong singleReplicaAcks, AtomicBoolean writing) {
    Random random = new Random(100 + writer);
    List<String> mine = new ArrayList<>();
    int fresh = 0;
    while (writing.get()) {
      String key = mine.isEmpty() || random.nextBoolean()
          ? "churn-" + writer + "-" + fresh++
          : mine.get(random.nextInt(mine.size()));
      try {
        // A node being restarted is skipped; one just killed still gets the put, and fails it.
        Optional<KadmeshClient> client = Optional.empty();
        for (int tries = 0; client.isEmpty() && tries < 4 * NODES; tries++) {
          client = mesh.clientIfListening(random.nextInt(NODES));
        }
        if (client.isEmpty()) {
          continue;
        }
        long seq = sequence.incrementAndGet();
        int replicas = client.get().withTimeout(PUT_TIMEOUT).put(key, key + "#" + seq).replicas();
        if (acknowledged.put(key, seq) == null) {
          mine.add(key);
        }
        acks.incrementAndGet();
        if (replicas <= 1) {
          singleReplicaAcks.incrementAndGet();
        }
      } catch (KadmeshException e) {
        failedPuts.incrementAndGet();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static long sequenceOf(String value) {
    return Long.parseLong(value.substring(value.lastIndexOf('#') + 1));
  }
}
