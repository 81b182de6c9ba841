package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kadmesh.client.testing.ClosedPort;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.client.testing.InProcessNode;
import java.lang.ref.WeakReference;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who closes the channel {@link KadmeshClient#connect} opened: the connected client and its views. */
class ChannelOwnershipTest {
  private static final Duration GC_WAIT = Duration.ofSeconds(20);

  private final InProcessNode node = InProcessNode.serve(new FakeDht());
  private final ManagedChannel channel = node.newChannel();

  @AfterEach
  void stop() {
    channel.shutdownNow();
    node.close();
  }

  /** A client as connect returns it, on the in-process channel, to watch that channel. */
  private KadmeshClient connected() {
    return KadmeshClient.owning(channel, KadmeshClient.DEFAULT_TIMEOUT);
  }

  /** Collects garbage until {@code ref} is cleared. */
  private static void collect(WeakReference<?> ref) {
    await().atMost(GC_WAIT).until(() -> {
      System.gc();
      return ref.get() == null;
    });
  }

  @Test
  void close_ofAView_leavesTheChannelOpenForTheConnectedClient() {
    KadmeshClient connected = connected();
    KadmeshClient view = connected.withTimeout(Duration.ofSeconds(2));

    view.close();
    view.close();

    assertThat(channel.isShutdown()).isFalse();
    assertThat(connected.put("k", "v").replicas()).isEqualTo(3);
    connected.close();
    assertThat(channel.isShutdown()).isTrue();
  }

  @Test
  void close_ofTheConnectedClient_closesTheChannelUnderItsOpenViews() {
    KadmeshClient connected = connected();
    KadmeshClient view = connected.withTimeout(Duration.ofSeconds(2));

    connected.close();

    assertThat(channel.isShutdown()).isTrue();
    assertThatThrownBy(() -> view.get("k")).isInstanceOfSatisfying(KadmeshException.class,
        e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void close_ofAViewOfADroppedConnectedClient_closesTheChannelOnceThatIsCollected() {
    KadmeshClient connected = connected();
    WeakReference<KadmeshClient> dropped = new WeakReference<>(connected);
    // connect(target).withTimeout(d), the connected client never closed.
    KadmeshClient view = connected.withTimeout(Duration.ofSeconds(2));
    connected = null;
    assertThat(view.put("k", "v").replicas()).isEqualTo(3);

    view.close();
    collect(dropped);

    await().atMost(GC_WAIT).until(channel::isShutdown);
  }

  @Test
  void aViewInUse_keepsTheChannelOpen_afterTheConnectedClientIsDroppedAndCollected() {
    KadmeshClient connected = connected();
    WeakReference<KadmeshClient> dropped = new WeakReference<>(connected);
    KadmeshClient view = connected.withTimeout(Duration.ofSeconds(2));
    connected = null;

    collect(dropped);

    assertThat(channel.isShutdown()).isFalse();
    assertThat(view.put("k", "v").replicas()).isEqualTo(3);
    view.close();
    assertThat(channel.isShutdown()).isTrue();
  }

  @Test
  void viewsDroppedUnclosed_closeTheChannelOnceAllAreCollected() {
    KadmeshClient connected = connected();
    WeakReference<KadmeshClient> view =
        new WeakReference<>(connected.withTimeout(Duration.ofSeconds(2)));
    WeakReference<KadmeshClient> dropped = new WeakReference<>(connected);
    connected = null;

    collect(view);
    collect(dropped);

    await().atMost(GC_WAIT).until(channel::isShutdown);
  }

  @Test
  void connect_withATimeout_givesEveryCallThatDeadline_andCloseShutsTheChannel() {
    KadmeshClient client = KadmeshClient.connect(ClosedPort.address(), Duration.ofSeconds(3));

    assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(3));
    client.close();
    // A shut-down channel refuses new calls at once instead of dialling.
    assertThatThrownBy(() -> client.get("k")).isInstanceOfSatisfying(KadmeshException.class,
        e -> assertThat(e.getMessage()).containsIgnoringCase("shutdown"));
  }

  @Test
  void connect_withANonPositiveTimeout_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> KadmeshClient.connect("127.0.0.1:1", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
  }
}
