package io.kadmesh.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VirtualSchedulerTest {
  @Test
  void advance_runsDueTasksInTimeOrder_atTheirOwnTime() {
    VirtualScheduler s = new VirtualScheduler(Instant.EPOCH);
    List<String> log = new ArrayList<>();
    s.schedule(Duration.ofSeconds(2), () -> log.add("b@" + s.now().getEpochSecond()));
    s.schedule(Duration.ofSeconds(1), () -> log.add("a@" + s.now().getEpochSecond()));
    s.schedule(Duration.ofSeconds(5), () -> log.add("late"));
    s.advance(Duration.ofSeconds(3));
    assertThat(log).containsExactly("a@1", "b@2");
    assertThat(s.now()).isEqualTo(Instant.EPOCH.plusSeconds(3));
    assertThat(s.pendingTasks()).isEqualTo(1);
  }

  @Test
  void tasksAtTheSameTime_runInSchedulingOrder_includingOnesTheySchedule() {
    VirtualScheduler s = new VirtualScheduler(Instant.EPOCH);
    List<Integer> log = new ArrayList<>();
    s.schedule(Duration.ZERO, () -> {
      log.add(1);
      s.schedule(Duration.ZERO, () -> log.add(3));
    });
    s.schedule(Duration.ZERO, () -> log.add(2));
    s.runUntilIdle();
    assertThat(log).containsExactly(1, 2, 3);
    assertThat(s.now()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void cancelledTask_neverRuns() {
    VirtualScheduler s = new VirtualScheduler(Instant.EPOCH);
    List<Integer> log = new ArrayList<>();
    s.schedule(Duration.ofSeconds(1), () -> log.add(1)).cancel();
    s.advance(Duration.ofSeconds(2));
    assertThat(log).isEmpty();
    assertThat(s.pendingTasks()).isZero();
  }

  @Test
  void runUntil_stopsWhenConditionHolds_orAtTheLimit() {
    VirtualScheduler s = new VirtualScheduler(Instant.EPOCH);
    List<Integer> log = new ArrayList<>();
    s.schedule(Duration.ofSeconds(4), () -> log.add(1));
    assertThat(s.runUntil(() -> !log.isEmpty(), Duration.ofSeconds(10))).isTrue();
    assertThat(s.now()).isEqualTo(Instant.EPOCH.plusSeconds(4));
    assertThat(s.runUntil(() -> log.size() > 1, Duration.ofSeconds(10))).isFalse();
    assertThat(s.now()).isEqualTo(Instant.EPOCH.plusSeconds(14));
  }

  @Test
  void blockingWork_runsWhenTimeIsRun_inOrderWithTasks_andIsToldApart() {
    VirtualScheduler s = new VirtualScheduler(Instant.EPOCH);
    List<String> log = new ArrayList<>();
    s.schedule(Duration.ZERO, () -> log.add("task " + s.inBlockingWork()));
    s.executeBlocking(() -> log.add("blocking " + s.inBlockingWork()));
    assertThat(log).isEmpty();
    s.runUntilIdle();
    assertThat(log).containsExactly("task false", "blocking true");
    assertThat(s.inBlockingWork()).isFalse();
  }
}
