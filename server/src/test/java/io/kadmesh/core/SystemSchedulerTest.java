package io.kadmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SystemSchedulerTest {
  @Test
  void blockingWork_runsOnAMaintenanceThread_notTheSchedulerThread() throws Exception {
    try (SystemScheduler s = new SystemScheduler()) {
      CompletableFuture<String> scheduled = new CompletableFuture<>();
      CompletableFuture<String> blocking = new CompletableFuture<>();
      s.schedule(Duration.ZERO, () -> scheduled.complete(Thread.currentThread().getName()));
      s.executeBlocking(() -> blocking.complete(Thread.currentThread().getName()));

      assertThat(scheduled.get(10, TimeUnit.SECONDS)).isEqualTo("kadmesh-scheduler");
      assertThat(blocking.get(10, TimeUnit.SECONDS)).startsWith("kadmesh-maintenance-");
    }
  }

  @Test
  void blockingWork_thatBlocks_doesNotHoldUpScheduledTasks() throws Exception {
    try (SystemScheduler s = new SystemScheduler()) {
      CompletableFuture<Void> release = new CompletableFuture<>();
      s.executeBlocking(release::join);
      CompletableFuture<Void> timer = new CompletableFuture<>();
      s.schedule(Duration.ofMillis(1), () -> timer.complete(null));

      timer.get(10, TimeUnit.SECONDS);
      release.complete(null);
    }
  }

  @Test
  void blockingWork_afterClose_isDropped_notThrown() {
    SystemScheduler s = new SystemScheduler();
    s.close();
    s.executeBlocking(() -> {
      throw new AssertionError("ran after close");
    });
  }
}
