package io.kadmesh.core.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.WatchLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The replica's subscription table: its limits, its TTLs, and whom it notifies. */
class SubscriptionsTest {
  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final Contact self = new Contact(NodeId.ofKey("self"), "self:1");
  private final Contact a = new Contact(NodeId.ofKey("a"), "a:1");
  private final Contact b = new Contact(NodeId.ofKey("b"), "b:1");
  private final List<String> notified = new ArrayList<>();
  /** Answers each notification with whether the subscriber still wants the key. */
  private boolean stillSubscribed = true;
  private final PeerTransport transport = new PeerTransport() {
    @Override
    public CompletableFuture<Contact> ping(String address) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<io.kadmesh.core.StoreResult> store(Contact to, ValueRecord record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Boolean> notify(Contact to, NodeId key, RecordKind kind,
        List<ValueRecord> records) {
      notified.add(to.address());
      return CompletableFuture.completedFuture(stillSubscribed);
    }
  };

  private Subscriptions subscriptions(int perSubscriber, int total) {
    return new Subscriptions(new WatchLimits(Duration.ofMinutes(2), Duration.ofMinutes(10),
        perSubscriber, total, 16, 8, 8), self, transport, scheduler, Duration.ofSeconds(2));
  }

  private Instant now() {
    return scheduler.now();
  }

  private static ValueRecord record(NodeId key, Instant now) {
    return ValueRecord.value(key, new byte[] {1}, new Version(1, NodeId.ofKey("w")),
        now.plus(Duration.ofHours(1)));
  }

  @Test
  void subscriberOverItsLimit_isRefusedResourceExhausted_namingTheLimit_butMayRenew() {
    Subscriptions s = subscriptions(2, 100);
    s.subscribe(a, NodeId.ofKey("k1"), RecordKind.PLAIN, Duration.ofMinutes(2), now());
    s.subscribe(a, NodeId.ofKey("k2"), RecordKind.PLAIN, Duration.ofMinutes(2), now());

    assertThatThrownBy(() -> s.subscribe(a, NodeId.ofKey("k3"), RecordKind.PLAIN,
        Duration.ofMinutes(2), now()))
        .isInstanceOf(DhtException.class)
        .hasMessageContaining("maxSubscriptionsPerSubscriber")
        .hasMessageContaining("2")
        .satisfies(e -> assertThat(((DhtException) e).reason())
            .isEqualTo(DhtException.Reason.RESOURCE_EXHAUSTED));
    s.subscribe(a, NodeId.ofKey("k1"), RecordKind.PLAIN, Duration.ofMinutes(2), now());
    s.subscribe(b, NodeId.ofKey("k3"), RecordKind.PLAIN, Duration.ofMinutes(2), now());
    assertThat(s.size()).isEqualTo(3);
  }

  @Test
  void nodeAtItsTotalLimit_refusesNewSubscriptions_untilOneExpires() {
    Subscriptions s = subscriptions(10, 2);
    s.subscribe(a, NodeId.ofKey("k1"), RecordKind.PLAIN, Duration.ofSeconds(30), now());
    s.subscribe(b, NodeId.ofKey("k1"), RecordKind.PLAIN, Duration.ofMinutes(2), now());

    assertThatThrownBy(() -> s.subscribe(a, NodeId.ofKey("k2"), RecordKind.PLAIN,
        Duration.ofMinutes(2), now()))
        .hasMessageContaining("maxSubscriptions");
    scheduler.advance(Duration.ofSeconds(31));
    s.subscribe(a, NodeId.ofKey("k2"), RecordKind.PLAIN, Duration.ofMinutes(2), now());
    assertThat(s.size()).isEqualTo(2);
  }

  @Test
  void ttlOverTheMaximum_isShortened_andANonPositiveOneRefused() {
    Subscriptions s = subscriptions(10, 10);
    Instant expires = s.subscribe(a, NodeId.ofKey("k"), RecordKind.PLAIN, Duration.ofDays(1), now());

    assertThat(expires).isEqualTo(now().plus(Duration.ofMinutes(10)));
    assertThatThrownBy(() -> s.subscribe(a, NodeId.ofKey("k"), RecordKind.PLAIN, Duration.ZERO,
        now())).hasMessageContaining("ttl must be positive");
  }

  @Test
  void change_notifiesLiveSubscribersOfThatKeyAndKindOnly_andDropsExpiredAndUnwantedOnes() {
    Subscriptions s = subscriptions(10, 10);
    NodeId key = NodeId.ofKey("k");
    s.subscribe(a, key, RecordKind.PLAIN, Duration.ofMinutes(2), now());
    s.subscribe(b, key, RecordKind.PLAIN, Duration.ofSeconds(10), now());
    s.subscribe(b, key, RecordKind.SIGNED, Duration.ofMinutes(2), now());
    scheduler.advance(Duration.ofSeconds(11));

    s.changed(record(key, now()));
    scheduler.runUntilIdle();
    assertThat(notified).containsExactly("a:1");
    assertThat(s.size()).isEqualTo(2);

    stillSubscribed = false;
    s.changed(record(key, now()));
    scheduler.runUntilIdle();
    s.changed(record(key, now()));
    scheduler.runUntilIdle();
    assertThat(notified).containsExactly("a:1", "a:1");
    assertThat(s.size()).isEqualTo(1);
  }
}
