package io.kadmesh.core.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kadmesh.core.VirtualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain progress lines on a clock moved by hand: how often they come and what they say. */
class PlainProgressTest {
  private final VirtualScheduler clock = new VirtualScheduler();
  private final List<String> lines = new ArrayList<>();

  private PlainProgress progress(long total) {
    return new PlainProgress("bench", total, "ops", lines::add, clock::now, Duration.ofSeconds(5));
  }

  @Test
  void workShorterThanTheInterval_writesNoLineAtAll() {
    PlainProgress p = progress(10_000);
    p.step(4_000);
    clock.advance(Duration.ofSeconds(4));
    p.step(6_000);
    p.close();

    assertThat(lines).isEmpty();
    assertThat(p.done()).isEqualTo(10_000);
  }

  @Test
  void steps_writeAtMostOneLinePerInterval_withCountAndPercent() {
    PlainProgress p = progress(10_000);
    clock.advance(Duration.ofSeconds(5));
    p.step(4_000);
    p.step(100);
    clock.advance(Duration.ofSeconds(2));
    p.step(100);
    clock.advance(Duration.ofSeconds(3));
    p.step(800);

    assertThat(lines).containsExactly("bench: 4000/10000 ops, 40%", "bench: 5000/10000 ops, 50%");
  }

  @Test
  void close_afterALine_writesTheLastCountAndTheTimeTaken_once() {
    PlainProgress p = progress(200);
    clock.advance(Duration.ofSeconds(6));
    p.step(50);
    clock.advance(Duration.ofMillis(1_500));
    p.step(150);
    p.close();
    p.close();
    p.step(1);

    assertThat(lines).containsExactly("bench: 50/200 ops, 25%", "bench: 200/200 ops, 100%, done in 7.5 s");
  }

  @Test
  void unknownTotal_writesTheCountAlone() {
    PlainProgress p = progress(-1);
    clock.advance(Duration.ofSeconds(5));
    p.step(7);

    assertThat(lines).containsExactly("bench: 7 ops");
  }

  @Test
  void reporter_startsOneProgressPerPieceOfWork_withItsOwnNameAndUnit() {
    ProgressReporter reporter = PlainProgress.reporter(lines::add, clock::now, Duration.ofSeconds(1));
    Progress republish = reporter.start("republish", 4, "records");
    clock.advance(Duration.ofSeconds(1));
    republish.step();

    assertThat(lines).containsExactly("republish: 1/4 records, 25%");
  }

  @Test
  void intervalNotPositive_isRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new PlainProgress("x", 1, "ops", lines::add, clock::now, Duration.ZERO));
  }
}
