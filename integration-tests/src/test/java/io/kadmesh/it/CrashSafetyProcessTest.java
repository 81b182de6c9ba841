package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.Entry;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.client.KadmeshException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A `kadmesh node` process SIGKILLed in the middle of a stream of puts: restarted on the same data
 * directory, it still holds every put it acknowledged.
 */
class CrashSafetyProcessTest {
  private static final Path JAR = ProcessMesh.JAR;
  private static final int PUTS = 2000;
  private static final int KILL_AFTER_ACKS = 700;

  private final List<NodeProcess> nodes = new ArrayList<>();

  @TempDir Path dataDir;

  @AfterEach
  void stopNodes() throws InterruptedException {
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  @Test
  void nodeKilledDuringAStreamOfPuts_restartedOnItsDataDir_holdsEveryAcknowledgedPut() throws Exception {
    NodeProcess node = NodeLauncher.start(JAR, dataDir, List.of());
    nodes.add(node);
    List<String> acknowledged = new ArrayList<>();
    CountDownLatch killNow = new CountDownLatch(1);
    Thread killer = new Thread(() -> {
      try {
        if (killNow.await(120, TimeUnit.SECONDS)) {
          node.kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "killer");
    killer.start();

    long started = System.nanoTime();
    KadmeshException failure = null;
    try (KadmeshClient client = KadmeshClient.connect(node.apiAddress())) {
      for (int i = 0; i < PUTS; i++) {
        String key = "crash-" + i;
        try {
          client.put(key, value(key));
        } catch (KadmeshException e) {
          failure = e;
          break;
        }
        acknowledged.add(key);
        if (acknowledged.size() == KILL_AFTER_ACKS) {
          killNow.countDown();
        }
      }
    } finally {
      killNow.countDown();
      killer.join(TimeUnit.SECONDS.toMillis(30));
    }
    Duration streamed = Duration.ofNanos(System.nanoTime() - started);
    assertThat(node.isAlive()).isFalse();
    assertThat(failure).as("the stream of puts must end when the node dies").isNotNull();
    assertThat(acknowledged.size()).isGreaterThanOrEqualTo(KILL_AFTER_ACKS).isLessThan(PUTS);

    long restartedAt = System.nanoTime();
    NodeProcess restarted = NodeLauncher.start(JAR, dataDir, List.of());
    nodes.add(restarted);
    List<String> lost = new ArrayList<>();
    try (KadmeshClient client = KadmeshClient.connect(restarted.apiAddress())) {
      Duration reopened = Duration.ofNanos(System.nanoTime() - restartedAt);
      for (String key : acknowledged) {
        Optional<Entry> entry = client.get(key);
        if (entry.isEmpty() || !entry.get().valueAsString().equals(new String(value(key), StandardCharsets.UTF_8))) {
          lost.add(key);
        }
      }
      long held = client.info().storage().records();
      System.out.printf("crash safety: acknowledged=%d lost=%d held-after-restart=%d "
              + "put-stream=%d ms (until SIGKILL after %d acks) restart-to-listening=%d ms%n",
          acknowledged.size(), lost.size(), held, streamed.toMillis(), KILL_AFTER_ACKS, reopened.toMillis());
      assertThat(held).isGreaterThanOrEqualTo(acknowledged.size());
    }
    assertThat(lost).isEmpty();
  }

  private static byte[] value(String key) {
    return ("value of " + key).getBytes(StandardCharsets.UTF_8);
  }
}
