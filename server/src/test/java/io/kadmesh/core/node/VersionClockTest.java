package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.SignedRecords;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class VersionClockTest {
  @Test
  void next_isMicrosecondsOfNow_andStrictlyIncreasesWhenTimeStandsStill() {
    VirtualScheduler s = new VirtualScheduler(Instant.ofEpochSecond(100));
    NodeId me = NodeId.random(new Random(1));
    VersionClock clock = new VersionClock(me, s);
    Version a = clock.next();
    Version b = clock.next();
    assertThat(a).isEqualTo(new Version(100_000_000L, me));
    assertThat(b.sequence()).isEqualTo(a.sequence() + 1);
    s.advance(Duration.ofSeconds(1));
    assertThat(clock.next().sequence()).isEqualTo(101_000_000L);
  }

  @Test
  void next_afterObservingAVersionAhead_goesPastIt() {
    VirtualScheduler s = new VirtualScheduler(Instant.ofEpochSecond(100));
    NodeId me = NodeId.random(new Random(1));
    VersionClock clock = new VersionClock(me, s);
    Version ahead = new Version(130_000_000L, NodeId.random(new Random(2)));

    clock.observe(ahead);

    assertThat(clock.next().isNewerThan(ahead)).isTrue();
    clock.observe(new Version(5, me));
    assertThat(clock.next().sequence()).isEqualTo(130_000_002L);
  }

  @Test
  void observe_ofASignedRecord_leavesTheClock_whereAPlainOrContentRecordMovesIt() {
    VirtualScheduler s = new VirtualScheduler(Instant.ofEpochSecond(100));
    VersionClock clock = new VersionClock(NodeId.random(new Random(1)), s);
    Instant expires = Instant.ofEpochSecond(200);
    Version ahead = new Version(130_000_000L, NodeId.random(new Random(2)));

    clock.observe(new SignedRecords().value("n", Long.MAX_VALUE, new byte[0], expires));
    assertThat(clock.next().sequence()).isEqualTo(100_000_000L);

    clock.observe(ValueRecord.value(NodeId.random(new Random(3)), new byte[0], ahead, expires));
    assertThat(clock.next().sequence()).isEqualTo(130_000_001L);
    byte[] value = {1};
    clock.observe(ValueRecord.content(NodeId.ofBytes(value), value,
        new Version(140_000_000L, ahead.writer()), expires));
    assertThat(clock.next().sequence()).isEqualTo(140_000_001L);
  }

  @Test
  void next_afterObservingTheLargestSequence_failsInsteadOfGoingBack() {
    VirtualScheduler s = new VirtualScheduler(Instant.ofEpochSecond(100));
    VersionClock clock = new VersionClock(NodeId.random(new Random(1)), s);
    clock.observe(new Version(Long.MAX_VALUE - 1, NodeId.random(new Random(2))));
    assertThat(clock.next().sequence()).isEqualTo(Long.MAX_VALUE);

    // Before the fix, Long.MAX_VALUE + 1 wrapped and next() answered the wall clock's 100 s.
    assertThatThrownBy(clock::next).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(Long.toString(Long.MAX_VALUE));
  }
}
