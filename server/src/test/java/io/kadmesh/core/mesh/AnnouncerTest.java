package io.kadmesh.core.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AnnouncerTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final NodeId SELF = NodeId.fromBytes(filled((byte) 0x11));
  private static final Duration TTL = Duration.ofSeconds(30);

  private final VirtualScheduler scheduler = new VirtualScheduler(START);
  private final FakePublisher publisher = new FakePublisher(scheduler);
  private final FakeProbe probe = new FakeProbe();
  private final InMemoryAnnouncementStore store = new InMemoryAnnouncementStore();
  private Announcer announcer = newAnnouncer();

  private Announcer newAnnouncer() {
    return new Announcer(SELF, scheduler, publisher, store, probe,
        new AnnouncementRules(Duration.ofDays(7)));
  }

  private static Announcement plain(String endpoint) {
    return Announcement.of("orders", endpoint, Map.of("zone", "eu-1"), TTL, null);
  }

  private static Announcement checked(String endpoint) {
    return Announcement.of("orders", endpoint, Map.of(), TTL,
        new HealthCheck("orders.v1.Orders", Duration.ofSeconds(5)));
  }

  private static byte[] filled(byte b) {
    byte[] id = new byte[32];
    Arrays.fill(id, b);
    return id;
  }

  private static DhtException failure(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
    } catch (CompletionException e) {
      return (DhtException) e.getCause();
    }
    throw new AssertionError("did not fail");
  }

  // ---- publishing and keeping alive ---------------------------------------------------------------

  @Test
  void announce_withoutHealthCheck_publishesTheSignedEntryAtOnceAndAnswersItsReplicasAndExpiry() {
    Publication first = announcer.announce(plain("10.0.0.1:8080")).join();

    assertThat(first.replicas()).isEqualTo(3);
    assertThat(first.expiresAt()).isEqualTo(START.plus(TTL));
    FakePublisher.Published p = publisher.last();
    assertThat(p.withdrawn()).isFalse();
    assertThat(p.entry().service()).isEqualTo("orders");
    assertThat(p.entry().address()).isEqualTo("10.0.0.1:8080");
    assertThat(p.entry().metadata()).containsExactly(Map.entry("zone", "eu-1"));
    assertThat(p.entry().announcerId()).isEqualTo(SELF.toBytes());
    assertThat(p.seq()).isEqualTo(START.toEpochMilli());
  }

  @Test
  void announcement_isPublishedAgainAtHalfItsTtl_withAGrowingSeqAndANewExpiry() {
    announcer.announce(plain("10.0.0.1:8080")).join();

    scheduler.advance(Duration.ofSeconds(14));
    assertThat(publisher.published).hasSize(1);
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(publisher.published).hasSize(2);
    scheduler.advance(Duration.ofSeconds(15));

    List<FakePublisher.Published> all = publisher.published;
    assertThat(all).hasSize(3).allMatch(p -> !p.withdrawn());
    assertThat(all).extracting(FakePublisher.Published::at)
        .containsExactly(START, START.plusSeconds(15), START.plusSeconds(30));
    assertThat(all).extracting(FakePublisher.Published::expiresAt)
        .containsExactly(START.plusSeconds(30), START.plusSeconds(45), START.plusSeconds(60));
    assertThat(all.get(1).seq()).isGreaterThan(all.get(0).seq());
    assertThat(all.get(2).seq()).isGreaterThan(all.get(1).seq());
  }

  @Test
  void seqs_growStrictlyAcrossEntries_evenWithinOneMillisecond() {
    announcer.announce(plain("10.0.0.1:8080")).join();
    announcer.announce(plain("10.0.0.2:8080")).join();
    announcer.announce(plain("10.0.0.1:8080")).join();

    assertThat(publisher.published).extracting(FakePublisher.Published::seq)
        .containsExactly(START.toEpochMilli(), START.toEpochMilli() + 1, START.toEpochMilli() + 2);
  }

  @Test
  void announceAgain_sameEndpoint_replacesItsMetadataAndTtlAndKeepsOneAnnouncement() {
    announcer.announce(plain("10.0.0.1:8080")).join();
    announcer.announce(Announcement.of("orders", "10.0.0.1:8080", Map.of("zone", "eu-2"),
        Duration.ofSeconds(10), null)).join();

    assertThat(announcer.announcements()).hasSize(1);
    assertThat(publisher.last().entry().metadata()).containsEntry("zone", "eu-2");
    scheduler.advance(Duration.ofSeconds(5));
    // Only the new one is renewed, at half the new TTL.
    assertThat(publisher.published).hasSize(3);
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(publisher.published).hasSize(4);
  }

  @Test
  void failedPublication_failsTheAnnounceSayingItRetries_andIsRetriedAfterATenthOfTheTtl() {
    publisher.failing(true);

    DhtException e = failure(announcer.announce(plain("10.0.0.1:8080")));

    assertThat(e.reason()).isEqualTo(DhtException.Reason.UNAVAILABLE);
    assertThat(e.getMessage()).contains("no live node").contains("publishes it again within 3s");
    assertThat(announcer.announcements()).hasSize(1);
    publisher.failing(false);
    scheduler.advance(Duration.ofSeconds(3));
    assertThat(publisher.published).hasSize(2);
    assertThat(announcer.isPublished("orders", "10.0.0.1:8080")).isTrue();
    // Back on the regular cycle: half the TTL after the success.
    scheduler.advance(Duration.ofSeconds(15));
    assertThat(publisher.published).hasSize(3);
  }

  @Test
  void retryDelay_isATenthOfTheTtl_butNeverLessThanASecondNorMoreThanFive() {
    assertThat(Announcer.retryDelay(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(1));
    assertThat(Announcer.retryDelay(Duration.ofSeconds(30))).isEqualTo(Duration.ofSeconds(3));
    assertThat(Announcer.retryDelay(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void failedRenewal_isLoggedNotThrown_andRetriedUntilItSucceeds() {
    announcer.announce(plain("10.0.0.1:8080")).join();
    publisher.failing(true);

    scheduler.advance(Duration.ofSeconds(15 + 3 + 3));

    assertThat(publisher.published).hasSize(4);
    publisher.failing(false);
    scheduler.advance(Duration.ofSeconds(3));
    assertThat(publisher.published).hasSize(5);
    assertThat(announcer.isPublished("orders", "10.0.0.1:8080")).isTrue();
  }

  @Test
  void publisherThatThrows_failsTheAnnounceWithItsError_notTheScheduler() {
    announcer = new Announcer(SELF, scheduler, (entry, seq, exp, w) -> {
      throw DhtException.unavailable("endpoint records are not wired yet");
    }, store, probe, new AnnouncementRules(Duration.ofDays(7)));

    DhtException e = failure(announcer.announce(plain("10.0.0.1:8080")));

    assertThat(e.getMessage()).startsWith("endpoint records are not wired yet");
    scheduler.advance(Duration.ofSeconds(6)); // retries keep failing, logged, not thrown
  }

  // ---- withdraw ---------------------------------------------------------------------------------

  @Test
  void withdraw_publishesTheTombstoneWithTheSameEntry_andStopsRenewing() {
    announcer.announce(plain("10.0.0.1:8080")).join();
    scheduler.advance(Duration.ofSeconds(2));

    int replicas = announcer.withdraw("orders", "10.0.0.1:8080").join();

    assertThat(replicas).isEqualTo(3);
    FakePublisher.Published tombstone = publisher.last();
    assertThat(tombstone.withdrawn()).isTrue();
    assertThat(tombstone.entry()).isEqualTo(publisher.published.get(0).entry());
    assertThat(tombstone.seq()).isGreaterThan(publisher.published.get(0).seq());
    assertThat(announcer.announcements()).isEmpty();
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(publisher.published).hasSize(2);
  }

  @Test
  void withdraw_ofAnEndpointNotAnnounced_isNotFoundNamingIt() {
    announcer.announce(plain("10.0.0.1:8080")).join();

    assertThatThrownBy(() -> announcer.withdraw("orders", "10.0.0.9:8080"))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.NOT_FOUND))
        .hasMessageContaining("10.0.0.9:8080").hasMessageContaining("orders");
  }

  // ---- shutdown and restart ---------------------------------------------------------------------

  @Test
  void withdrawAll_publishesEveryTombstone_keepsTheSavedList_andRefusesNewAnnouncements() {
    announcer.announce(plain("10.0.0.1:8080")).join();
    announcer.announce(plain("10.0.0.2:8080")).join();
    scheduler.runUntilIdle();

    CompletableFuture<Integer> done = announcer.withdrawAll(Duration.ofSeconds(5));

    assertThat(done).isCompleted();
    assertThat(publisher.published.subList(2, 4)).allMatch(FakePublisher.Published::withdrawn)
        .extracting(p -> p.entry().address()).containsExactlyInAnyOrder("10.0.0.1:8080", "10.0.0.2:8080");
    assertThat(store.load().announcements()).hasSize(2);
    assertThatThrownBy(() -> announcer.announce(plain("10.0.0.3:8080")))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.UNAVAILABLE));
    scheduler.advance(Duration.ofMinutes(5));
    assertThat(publisher.published).hasSize(4);
  }

  @Test
  void withdrawAll_whosePublicationsNeverAnswer_completesAtItsTimeout() {
    announcer = new Announcer(SELF, scheduler, (entry, seq, exp, w) -> new CompletableFuture<>(),
        store, probe, new AnnouncementRules(Duration.ofDays(7)));
    announcer.announce(plain("10.0.0.1:8080"));

    CompletableFuture<Integer> done = announcer.withdrawAll(Duration.ofSeconds(5));

    scheduler.advance(Duration.ofSeconds(4));
    assertThat(done).isNotDone();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(done).isCompleted();
  }

  @Test
  void restart_publishesTheSavedAnnouncementsAgain_withSeqsAboveTheFormerRunsEvenIfTheClockWentBack()
      throws Exception {
    scheduler.advance(Duration.ofHours(1));
    announcer.announce(plain("10.0.0.1:8080")).join();
    announcer.withdrawAll(Duration.ofSeconds(5)).join();
    long formerHighest = publisher.published.stream().mapToLong(FakePublisher.Published::seq).max()
        .orElseThrow();

    // A new run on a clock an hour behind the former's.
    VirtualScheduler behind = new VirtualScheduler(START);
    FakePublisher again = new FakePublisher(behind);
    Announcer restarted = new Announcer(SELF, behind, again, store, probe,
        new AnnouncementRules(Duration.ofDays(7)));
    restarted.restore();
    restarted.start();

    assertThat(restarted.announcements()).containsExactly(plain("10.0.0.1:8080"));
    assertThat(again.published).hasSize(1);
    assertThat(again.last().withdrawn()).isFalse();
    assertThat(again.last().seq()).isGreaterThan(formerHighest);
  }

  @Test
  void savedHighWaterMark_isAheadOfEverySeqGivenOut() {
    announcer.announce(plain("10.0.0.1:8080")).join();
    scheduler.advance(Duration.ofMinutes(3));

    long highest = publisher.published.stream().mapToLong(FakePublisher.Published::seq).max()
        .orElseThrow();
    assertThat(store.load().seqHighWater()).isGreaterThanOrEqualTo(highest);
    assertThat(store.load().announcements()).containsExactly(plain("10.0.0.1:8080"));
  }

  @Test
  void withdraw_removesTheAnnouncementFromTheSavedList() {
    announcer.announce(plain("10.0.0.1:8080")).join();
    announcer.withdraw("orders", "10.0.0.1:8080").join();
    scheduler.runUntilIdle();

    assertThat(store.load().announcements()).isEmpty();
  }

  @Test
  void restore_skipsSavedAnnouncementsThatNoLongerKeepTheLimits() throws Exception {
    store.save(new AnnouncementStore.Saved(List.of(plain("10.0.0.1:8080"),
        Announcement.of("orders", "10.0.0.2:8080", Map.of(), Duration.ofDays(30), null)), 5));

    announcer.restore();

    assertThat(announcer.announcements()).containsExactly(plain("10.0.0.1:8080"));
  }

  // ---- limits -----------------------------------------------------------------------------------

  @Test
  void announce_beyondTheLimitOfAnnouncements_isResourceExhaustedNamingIt_butReplacingOneIsNot() {
    for (int i = 0; i < Announcer.MAX_ANNOUNCEMENTS; i++) {
      announcer.announce(plain("10.0." + (i / 250) + "." + (i % 250 + 1) + ":80"));
    }

    assertThatThrownBy(() -> announcer.announce(plain("10.9.9.9:80")))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.RESOURCE_EXHAUSTED))
        .hasMessageContaining("256 announcements");
    assertThat(announcer.announce(plain("10.0.0.1:80"))).isCompleted();
  }

  @Test
  void announce_withBadFields_isInvalidArgumentNamingTheFieldAndLimit() {
    assertInvalid(Announcement.of("orders", "10.0.0.1:8080", Map.of(), Duration.ofSeconds(4), null),
        "ttl must be at least 5s");
    assertInvalid(Announcement.of("orders", "10.0.0.1:8080", Map.of(), Duration.ofDays(8), null),
        "at most the node's maximum TTL, 604800s");
    assertInvalid(Announcement.of("", "10.0.0.1:8080", Map.of(), TTL, null), "service must be 1 to 256");
    assertInvalid(Announcement.of("orders", "10.0.0.1", Map.of(), TTL, null), "endpoint must be HOST:PORT");
    assertInvalid(Announcement.of("orders", "0.0.0.0:80", Map.of(), TTL, null), "endpoint must be HOST:PORT");
    assertInvalid(Announcement.of("orders", "10.0.0.1:0", Map.of(), TTL, null), "port 1 to 65535");
    assertInvalid(Announcement.of("orders", "10.0.0.1:8080", Map.of("weight", "0"), TTL, null),
        "metadata \"weight\" must be a positive integer");
    assertInvalid(Announcement.of("orders", "10.0.0.1:8080", Map.of("k", "v".repeat(2048)), TTL, null),
        "the limit is 2048");
    assertInvalid(Announcement.of("orders", "10.0.0.1:8080", Map.of(), TTL,
        new HealthCheck("", Duration.ofMillis(500))), "health_check.interval must be at least 1s");
    assertThat(publisher.published).isEmpty();
  }

  private void assertInvalid(Announcement a, String message) {
    assertThatThrownBy(() -> announcer.announce(a))
        .isInstanceOfSatisfying(DhtException.class,
            e -> assertThat(e.reason()).isEqualTo(DhtException.Reason.INVALID_ARGUMENT))
        .hasMessageContaining(message);
  }

  // ---- health checks ----------------------------------------------------------------------------

  @Test
  void healthCheckedEndpoint_thatDoesNotServe_isNotPublished_andAnnounceAnswersNothingPublished() {
    Publication first = announcer.announce(checked("10.0.0.1:8080")).join();

    assertThat(first).isEqualTo(Publication.NOT_PUBLISHED);
    assertThat(publisher.published).isEmpty();
    assertThat(probe.asked).containsExactly("10.0.0.1:8080/orders.v1.Orders");
    scheduler.advance(Duration.ofSeconds(20));
    assertThat(probe.asked).hasSize(5);
    assertThat(publisher.published).isEmpty();
  }

  @Test
  void healthCheckedEndpoint_thatServes_isPublishedAtOnce_andAnnounceAnswersThePublication() {
    probe.serving.put("10.0.0.1:8080", true);

    Publication first = announcer.announce(checked("10.0.0.1:8080")).join();

    assertThat(first.replicas()).isEqualTo(3);
    assertThat(first.expiresAt()).isEqualTo(START.plus(TTL));
    assertThat(publisher.published).hasSize(1);
    // Renewed at half the TTL while it keeps serving; checks publish nothing more.
    scheduler.advance(Duration.ofSeconds(15));
    assertThat(publisher.published).hasSize(2).noneMatch(FakePublisher.Published::withdrawn);
  }

  @Test
  void healthFlips_withdrawWhenItStopsServing_andPublishAgainWhenItComesBack() {
    probe.serving.put("10.0.0.1:8080", true);
    announcer.announce(checked("10.0.0.1:8080")).join();

    probe.serving.put("10.0.0.1:8080", false);
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(publisher.last().withdrawn()).isTrue();
    assertThat(announcer.isPublished("orders", "10.0.0.1:8080")).isFalse();
    scheduler.advance(Duration.ofSeconds(30));
    assertThat(publisher.published).hasSize(2); // withdrawn once, not renewed while down

    probe.serving.put("10.0.0.1:8080", true);
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(publisher.published).hasSize(3);
    assertThat(publisher.last().withdrawn()).isFalse();
    assertThat(announcer.isPublished("orders", "10.0.0.1:8080")).isTrue();
    assertThat(publisher.published).extracting(FakePublisher.Published::seq).isSorted();
  }

  @Test
  void failedWithdrawalOfAnUnhealthyEndpoint_isRetriedAtTheNextCheck() {
    probe.serving.put("10.0.0.1:8080", true);
    announcer.announce(checked("10.0.0.1:8080")).join();
    probe.serving.put("10.0.0.1:8080", false);
    publisher.failing(true);

    scheduler.advance(Duration.ofSeconds(5));
    publisher.failing(false);
    scheduler.advance(Duration.ofSeconds(5));

    assertThat(publisher.published.subList(1, 3)).allMatch(FakePublisher.Published::withdrawn);
    scheduler.advance(Duration.ofSeconds(20));
    assertThat(publisher.published).hasSize(3);
  }

  @Test
  void withdraw_ofAHealthCheckedEndpoint_releasesItsProbeAndStopsChecking() {
    announcer.announce(checked("10.0.0.1:8080")).join();

    announcer.withdraw("orders", "10.0.0.1:8080").join();

    assertThat(probe.released).containsExactly("10.0.0.1:8080");
    int asked = probe.asked.size();
    scheduler.advance(Duration.ofMinutes(1));
    assertThat(probe.asked).hasSize(asked);
  }

  @Test
  void withdrawAll_skipsEndpointsItsHealthCheckWithdrewAlready() {
    announcer.announce(checked("10.0.0.1:8080")).join(); // never served: nothing published
    probe.serving.put("10.0.0.2:8080", true);
    announcer.announce(checked("10.0.0.2:8080")).join();

    announcer.withdrawAll(Duration.ofSeconds(5)).join();

    assertThat(publisher.published).hasSize(2);
    assertThat(publisher.last().withdrawn()).isTrue();
    assertThat(publisher.last().entry().address()).isEqualTo("10.0.0.2:8080");
  }
}
