package io.kadmesh.client.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  private static final long SECOND = Duration.ofSeconds(1).toNanos();

  @Test
  void delays_growBy1point6WithinTheJitter_upToTheMaximum() {
    ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(5), new Random(7));

    double[] bases = {1, 1.6, 2.56, 4.096, 5, 5};
    for (double base : bases) {
      long delay = backoff.nextDelayNanos();
      assertThat(delay).isBetween((long) (base * 0.8 * SECOND), (long) (base * 1.2 * SECOND));
    }
  }

  @Test
  void reset_startsAgainFromTheInitialDelay() {
    ReconnectBackoff backoff = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(7));
    for (int i = 0; i < 5; i++) {
      backoff.nextDelayNanos();
    }

    backoff.reset();

    assertThat(backoff.nextDelayNanos()).isBetween((long) (0.8 * SECOND), (long) (1.2 * SECOND));
  }

  @Test
  void maximumBelowTheInitialDelay_isRefused() {
    assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
