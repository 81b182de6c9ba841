package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Self-lookups while the table is sparse: at a doubling pause, reset when one teaches something. */
class SparseTableRefreshTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final Random random = new Random(5);
  private final VirtualScheduler scheduler = new VirtualScheduler(T0);
  private final NodeId self = NodeId.random(random);
  private final RoutingTable table = new RoutingTable(self, 3, 3, 3, T0);
  private final List<Instant> lookups = new ArrayList<>();
  /** What the next self-lookup teaches: contacts added to the table when it runs. */
  private final List<Contact> toLearn = new ArrayList<>();
  private int port = 9000;

  private final SparseTableRefresh refresh = new SparseTableRefresh(scheduler, table, 3, () -> {
    lookups.add(scheduler.now());
    if (!toLearn.isEmpty()) table.seen(toLearn.remove(0), scheduler.now());
    return CompletableFuture.completedFuture(null);
  });

  private Contact contact() {
    return new Contact(NodeId.random(random), "10.0.0.1:" + port++);
  }

  @Test
  void aSparseTable_isLookedUpAgainAtADoublingPause_untilTheCap() {
    table.seen(contact(), T0);
    refresh.start();
    scheduler.advance(Duration.ofMinutes(4));
    List<Long> seconds = lookups.stream().map(t -> Duration.between(T0, t).toSeconds()).toList();
    assertThat(seconds).startsWith(1L, 3L, 7L, 15L, 31L, 63L, 123L, 183L);
  }

  @Test
  void aLookupThatTeachesSomething_bringsTheNextOneBackToOneSecond() {
    table.seen(contact(), T0);
    toLearn.add(contact());
    refresh.start();
    scheduler.advance(Duration.ofSeconds(8));
    // 1 s: learned one, so the next comes 1 s later; 2 s: learned nothing, so 2 s later; then 4 s.
    List<Long> seconds = lookups.stream().map(t -> Duration.between(T0, t).toSeconds()).toList();
    assertThat(seconds).containsExactly(1L, 2L, 4L, 8L);
  }

  @Test
  void aNewcomer_bringsTheNextLookupBackToOneSecond() {
    refresh.start(); // a node started alone: nothing to look up with, the pause grows
    scheduler.advance(Duration.ofSeconds(40));
    assertThat(lookups).isEmpty();

    table.seen(contact(), scheduler.now());
    refresh.contactAdded();
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(lookups).hasSize(1);
  }

  @Test
  void aFullTable_orAnEmptyOne_isNotLookedUp() {
    refresh.start();
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(lookups).isEmpty(); // no live contact: Membership's work
    for (int i = 0; i < 3; i++) table.seen(contact(), scheduler.now());
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(lookups).isEmpty();
  }

  @Test
  void stopped_beforeItStarted_neverRuns() {
    table.seen(contact(), T0);
    refresh.stop();
    refresh.start();
    scheduler.advance(Duration.ofMinutes(2));
    assertThat(lookups).isEmpty();
  }
}
