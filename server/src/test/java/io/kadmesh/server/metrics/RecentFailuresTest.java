package io.kadmesh.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RecentFailuresTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final InstantSource clock = now::get;

  @Test
  void latest_listsTheFailuresNewestFirst_withTheTimeTheyWereAdded() {
    RecentFailures failures = new RecentFailures(5, clock);
    failures.add("api", "Put", "INVALID_ARGUMENT", "key is empty");
    now.set(T0.plusSeconds(3));
    failures.add("peer", "Store", "RESOURCE_EXHAUSTED", "store full");

    assertThat(failures.latest()).containsExactly(
        new RecentFailures.Failure(T0.plusSeconds(3), "peer", "Store", "RESOURCE_EXHAUSTED", "store full"),
        new RecentFailures.Failure(T0, "api", "Put", "INVALID_ARGUMENT", "key is empty"));
  }

  @Test
  void add_beyondTheCapacity_dropsTheOldest() {
    RecentFailures failures = new RecentFailures(3, clock);
    for (int i = 0; i < 10; i++) {
      failures.add("api", "Get" + i, "UNAVAILABLE", null);
    }

    assertThat(failures.latest()).extracting(RecentFailures.Failure::method)
        .containsExactly("Get9", "Get8", "Get7");
    assertThat(failures.latest()).allSatisfy(f -> assertThat(f.message()).isEmpty());
  }

  @Test
  void add_aLongMessage_keepsItsStartOnly() {
    RecentFailures failures = new RecentFailures(3, clock);
    failures.add("api", "Put", "INVALID_ARGUMENT", "x".repeat(10_000));

    String kept = failures.latest().get(0).message();
    assertThat(kept).hasSize(RecentFailures.MAX_MESSAGE_CHARS).startsWith("xxx").endsWith("…");
  }

  @Test
  void constructor_withNoRoom_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RecentFailures(0, clock));
  }
}
