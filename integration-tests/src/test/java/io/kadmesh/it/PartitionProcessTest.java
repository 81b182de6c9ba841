package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kadmesh.client.KadmeshException;
import io.kadmesh.client.PutResult;
import io.kadmesh.client.ValueVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Six node processes in network namespaces split 3 | 3 for minutes and written on both sides, then
 * healed: within two republish periods every acknowledged key reads its newest value everywhere.
 */
class PartitionProcessTest {
  private static final int NODES = 6;
  private static final List<Integer> SIDE_A = List.of(0, 1, 2);
  private static final List<Integer> SIDE_B = List.of(3, 4, 5);
  private static final Duration REPUBLISH = Duration.ofSeconds(20);
  private static final Duration SPLIT =
      Duration.ofSeconds(Long.getLong("kadmesh.partition.seconds", 120));
  private static final Duration CONVERGE = REPUBLISH.multipliedBy(2).plusSeconds(20);
  private static final int KEYS_BEFORE = 30;
  private static final Duration WRITE_EVERY = Duration.ofSeconds(1);
  private static final Duration PUT_TIMEOUT = Duration.ofSeconds(15);

  private static NamespaceNetwork net;

  @RegisterExtension final ProcessMesh mesh =
      new ProcessMesh(List.of("--k", "3", "--republish-interval", REPUBLISH.toSeconds() + "s"));

  @BeforeAll
  static void makeNamespaces() throws InterruptedException {
    Assumptions.assumeTrue(Files.isExecutable(Path.of(NamespaceNetwork.IP)),
        "needs root and ip netns: " + NamespaceNetwork.IP + " is missing");
    try {
      net = NamespaceNetwork.create(NODES);
    } catch (IOException e) {
      Assumptions.assumeTrue(false, "needs root and ip netns: " + e.getMessage());
    }
  }

  @AfterAll
  static void removeNamespaces() throws InterruptedException {
    if (net != null) {
      net.close();
    }
  }


  /** The newest acknowledged write of a key. */
  private record Ack(ValueVersion version, String value) {}

  /** One read of every acknowledged key through every node. */
  private record Tally(int lost, int stale, int errors, int newer, int reads,
      Map<Integer, Integer> unreadablePerNode) {
    boolean converged() {
      return lost == 0 && stale == 0 && errors == 0;
    }

    @Override
    public String toString() {
      return "reads=" + reads + " lost=" + lost + " stale=" + stale + " read-errors=" + errors
          + " newer-than-acknowledged=" + newer + " not-newest-per-node=" + unreadablePerNode;
    }
  }

  @Test
  void meshSplitThreeByThreeAndWrittenOnBothSides_afterTheHeal_readsTheNewestValueOfEveryKeyThroughEveryNode()
      throws Exception {
    for (int i = 0; i < NODES; i++) {
      List<String> args = new ArrayList<>(List.of("--advertise-address", net.peerAddress(i)));
      if (i > 0) {
        args.addAll(List.of("--bootstrap", net.peerAddress(0)));
      }
      mesh.start(i, net.prefix(i), net.peerAddress(i), net.apiAddress(i), args);
    }
    awaitContacts(2, Duration.ofSeconds(60));

    Map<String, Ack> newest = new ConcurrentHashMap<>();
    Random random = new Random(6);
    List<String> before = new ArrayList<>();
    for (int i = 0; i < KEYS_BEFORE; i++) {
      String key = "part-before-" + i;
      String value = "before " + i;
      acknowledge(newest, key, value, mesh.client(random.nextInt(NODES)).put(key, value));
      before.add(key);
    }

    for (int i : SIDE_B) {
      net.moveToSide(i, true);
    }
    long splitAt = System.nanoTime();
    AtomicBoolean writing = new AtomicBoolean(true);
    Map<String, AtomicLong> acks = new TreeMap<>();
    Map<String, AtomicLong> failures = new TreeMap<>();
    List<Thread> writers = new ArrayList<>();
    for (String side : List.of("A", "B")) {
      acks.put(side, new AtomicLong());
      failures.put(side, new AtomicLong());
      List<Integer> nodes = side.equals("A") ? SIDE_A : SIDE_B;
      Thread t = new Thread(() -> writeOnSide(side, nodes, before, newest, acks.get(side),
          failures.get(side), writing), "writer-" + side);
      t.setDaemon(true);
      writers.add(t);
    }
    writers.forEach(Thread::start);
    Thread.sleep(SPLIT.toMillis()); // the split's length: writes go on meanwhile
    writing.set(false);
    for (Thread t : writers) {
      t.join(PUT_TIMEOUT.multipliedBy(3).toMillis());
    }
    Map<Integer, Integer> contactsBeforeHeal = contactsPerNode();

    for (int i : SIDE_B) {
      net.moveToSide(i, false);
    }
    long healAt = System.nanoTime();
    Duration split = Duration.ofNanos(healAt - splitAt);
    Tally first = tally(newest);
    AtomicReference<Tally> last = new AtomicReference<>(first);
    String converged;
    if (first.converged()) {
      converged = Duration.ofNanos(System.nanoTime() - healAt).toMillis() + " ms";
    } else {
      try {
        await().atMost(CONVERGE.minusNanos(System.nanoTime() - healAt))
            .pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2))
            .until(() -> {
              last.set(tally(newest));
              return last.get().converged();
            });
        converged = Duration.ofNanos(System.nanoTime() - healAt).toMillis() + " ms";
      } catch (ConditionTimeoutException e) {
        converged = "never within " + CONVERGE.toSeconds() + " s";
      }
    }
    Map<Integer, Integer> contactsAtEnd = contactsPerNode();

    System.out.printf("%nPARTITION: nodes=%d (own namespace each) k=3 republish=%d s split=3|3 "
            + "for %d s, keys written before=%d, keys at the end=%d%n"
            + "PARTITION: writes during the split: side A acknowledged=%d failed=%d, side B "
            + "acknowledged=%d failed=%d%n"
            + "PARTITION: contacts per node before the heal=%s%n"
            + "PARTITION: right after the heal: %s%n"
            + "PARTITION: at the end: %s%n"
            + "PARTITION: contacts per node at the end=%s%n"
            + "PARTITION: every key reads its newest value through every node after %s%n%n",
        NODES, REPUBLISH.toSeconds(), split.toSeconds(), KEYS_BEFORE, newest.size(),
        acks.get("A").get(), failures.get("A").get(), acks.get("B").get(), failures.get("B").get(),
        contactsBeforeHeal, first, last.get(), contactsAtEnd, converged);
    assertThat(last.get().converged())
        .as("every acknowledged key reads its newest value through every node within %d s of the heal: %s",
            CONVERGE.toSeconds(), last.get())
        .isTrue();
  }

  /**
   * Once a second: a new key and an overwrite of a key written before the split, each through a
   * random node of this side.
   */
  private void writeOnSide(String side, List<Integer> nodes, List<String> before,
      Map<String, Ack> newest, AtomicLong acks, AtomicLong failures, AtomicBoolean writing) {
    Random random = new Random(side.hashCode());
    int n = 0;
    while (writing.get()) {
      long started = System.nanoTime();
      n++;
      String fresh = "part-" + side + "-" + n;
      String overwritten = before.get(random.nextInt(before.size()));
      for (String[] write : new String[][] {
          {fresh, side + " " + n}, {overwritten, side + " overwrite " + n}}) {
        try {
          PutResult result = mesh.client(nodes.get(random.nextInt(nodes.size())))
              .withTimeout(PUT_TIMEOUT).put(write[0], write[1]);
          acknowledge(newest, write[0], write[1], result);
          acks.incrementAndGet();
        } catch (KadmeshException e) {
          failures.incrementAndGet();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
      long pause = WRITE_EVERY.toNanos() - (System.nanoTime() - started);
      if (pause > 0 && writing.get()) {
        try {
          Thread.sleep(pause / 1_000_000); // pacing of the writes
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static void acknowledge(Map<String, Ack> newest, String key, String value, PutResult result) {
    Ack ack = new Ack(result.version(), value);
    newest.merge(key, ack, (a, b) -> compare(a.version(), b.version()) >= 0 ? a : b);
  }

  /** The order of versions: the higher sequence wins, then the higher writer ID. */
  private static int compare(ValueVersion a, ValueVersion b) {
    int bySequence = Long.compareUnsigned(a.sequence(), b.sequence());
    return bySequence != 0 ? bySequence : a.writerHex().compareTo(b.writerHex());
  }

  private Tally tally(Map<String, Ack> newest) throws Exception {
    AtomicLong lost = new AtomicLong();
    AtomicLong stale = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong newer = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    Map<Integer, Integer> unreadable = new TreeMap<>();
    for (int i = 0; i < NODES; i++) {
      AtomicLong notNewest = new AtomicLong();
      mesh.readEach(i, newest.keySet(), (key, read) -> {
        reads.incrementAndGet();
        Ack expected = newest.get(key);
        if (read.failed()) {
          errors.incrementAndGet();
          notNewest.incrementAndGet();
        } else if (read.entry().isEmpty()) {
          lost.incrementAndGet();
          notNewest.incrementAndGet();
        } else {
          int order = compare(read.entry().get().version(), expected.version());
          if (order < 0) {
            stale.incrementAndGet();
            notNewest.incrementAndGet();
          } else if (order > 0) {
            newer.incrementAndGet(); // a write that failed yet reached a replica
          }
        }
      });
      unreadable.put(i, (int) notNewest.get());
    }
    return new Tally((int) lost.get(), (int) stale.get(), (int) errors.get(), (int) newer.get(),
        (int) reads.get(), unreadable);
  }

  private Map<Integer, Integer> contactsPerNode() {
    Map<Integer, Integer> contacts = new TreeMap<>();
    for (int i = 0; i < NODES; i++) {
      contacts.put(i, mesh.contacts(i));
    }
    return contacts;
  }

  private void awaitContacts(int atLeast, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
      for (int i = 0; i < NODES; i++) {
        if (mesh.contacts(i) < atLeast) {
          return false;
        }
      }
      return true;
    });
  }
}
