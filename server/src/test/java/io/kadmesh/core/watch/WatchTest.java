package io.kadmesh.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.node.NodeMetrics;
import io.kadmesh.core.sim.ForwardingPeerHandler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.sim.PeerHandler;
import io.kadmesh.core.storage.InMemoryContactStore;
import io.kadmesh.core.storage.InMemoryRecordStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Watch between nodes of an in-memory network on virtual time: a change made anywhere reaches a
 * watcher on another node as one event, through the replicas' notifications; renewals follow the
 * replicas and repair what a lost notification missed, announced by RESYNC.
 */
class WatchTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** The watched key: every node's ID below is placed by its distance to it. */
  private static final NodeId KEY = id(0x00, 0x00);

  private final VirtualScheduler scheduler = new VirtualScheduler();
  private final InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(1));
  private final NodeConfig config = NodeConfig.builder().k(2).writeQuorum(1).build();

  /** A 32-byte ID whose first two bytes are these (the rest zero). */
  private static NodeId id(int first, int second) {
    byte[] b = new byte[NodeId.BYTES];
    b[0] = (byte) first;
    b[1] = (byte) second;
    return NodeId.fromBytes(b);
  }

  /** What each node's watches and subscriptions reported, by the node's address. */
  private final Map<String, CountedWatchWork> counted = new ConcurrentHashMap<>();

  /** Counts the Watch work one node reports. */
  private static final class CountedWatchWork implements NodeMetrics {
    final Map<NotifyResult, AtomicInteger> notifications = new ConcurrentHashMap<>();
    final AtomicInteger resyncs = new AtomicInteger();

    @Override
    public void notified(NotifyResult result) {
      notifications.computeIfAbsent(result, r -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void resynced() {
      resyncs.incrementAndGet();
    }

    int notifications(NotifyResult result) {
      AtomicInteger n = notifications.get(result);
      return n == null ? 0 : n.get();
    }
  }

  private KademliaNode node(NodeId id, String address) {
    Contact self = new Contact(id, address);
    CountedWatchWork work = new CountedWatchWork();
    counted.put(address, work);
    KademliaNode n = new KademliaNode(config, self, network.transportFor(self),
        new InMemoryRecordStore(1000, 1L << 20), new InMemoryContactStore(), scheduler,
        new Random(address.hashCode()), work);
    network.register(n);
    return n;
  }

  private <T> T await(CompletableFuture<T> f) {
    scheduler.runUntil(f::isDone, Duration.ofMinutes(1));
    assertThat(f).as("completes").isDone();
    return f.join();
  }

  /** Replicas r1, r2 closest to KEY; others farther; the watcher w farthest. */
  private record Mesh(KademliaNode r1, KademliaNode r2, KademliaNode o1, KademliaNode o2,
      KademliaNode w) {
    List<KademliaNode> all() {
      return List.of(r1, r2, o1, o2, w);
    }
  }

  private Mesh mesh() {
    Mesh m = new Mesh(node(id(0x01, 0), "r1:1"), node(id(0x02, 0), "r2:1"),
        node(id(0x40, 0), "o1:1"), node(id(0x60, 0), "o2:1"), node(id(0xF0, 0), "w:1"));
    for (KademliaNode n : m.all().subList(1, 5)) await(n.join(List.of("r1:1")));
    for (KademliaNode n : m.all()) await(n.join(List.of("r1:1")));
    return m;
  }

  /** What a listener heard, as short strings: "VALUE v1", "DELETED", "SYNCED". */
  private static final class Heard implements WatchListener {
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(WatchEvent event) {
      events.add(event);
    }

    List<String> lines() {
      List<String> out = new ArrayList<>();
      for (WatchEvent e : events) {
        String value = e.record() == null || e.record().isTombstone() ? ""
            : " " + new String(e.record().valueUnsafe(), StandardCharsets.UTF_8);
        out.add(e.type() + value);
      }
      return out;
    }

    boolean has(String line) {
      return lines().contains(line);
    }
  }

  private Heard watch(KademliaNode node) {
    Heard heard = new Heard();
    node.watch(KEY, RecordKind.PLAIN, heard);
    scheduler.runUntil(() -> heard.has("SYNCED"), Duration.ofMinutes(1));
    assertThat(heard.lines()).as("initial state").endsWith("SYNCED");
    return heard;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void putOnOneNode_reachesAWatcherOnAnother_asOneValueEvent() {
    Mesh m = mesh();
    Heard heard = watch(m.w());
    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED");

    await(m.o1().put(KEY, utf8("v1"), null, TIMEOUT));
    scheduler.runUntil(() -> heard.has("VALUE v1"), Duration.ofSeconds(5));

    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED", "VALUE v1");
  }

  @Test
  void existingValue_isTheInitialState_andALaterWatcherOnTheSameNodeGetsItToo() {
    Mesh m = mesh();
    await(m.o1().put(KEY, utf8("v1"), null, TIMEOUT));
    Heard first = watch(m.w());
    Heard second = watch(m.w());

    assertThat(first.lines()).containsExactly("VALUE v1", "SYNCED");
    assertThat(second.lines()).containsExactly("VALUE v1", "SYNCED");
  }

  @Test
  void delete_isOneDeletedEventWithTheTombstonesVersion() {
    Mesh m = mesh();
    await(m.o1().put(KEY, utf8("v1"), null, TIMEOUT));
    Heard heard = watch(m.w());

    Version deleted = await(m.o2().delete(KEY, TIMEOUT)).version();
    scheduler.runUntil(() -> heard.lines().size() == 3, Duration.ofSeconds(5));

    assertThat(heard.lines()).containsExactly("VALUE v1", "SYNCED", "DELETED");
    assertThat(heard.events.get(2).record().version()).isEqualTo(deleted);
  }

  @Test
  void valueThatExpires_isDeletedOnTime_withoutAVersion() {
    Mesh m = mesh();
    Heard heard = watch(m.w());
    await(m.o1().put(KEY, utf8("brief"), Duration.ofSeconds(30), TIMEOUT));
    scheduler.runUntil(() -> heard.has("VALUE brief"), Duration.ofSeconds(5));
    Instant expiresAt = heard.events.get(2).record().expiresAt();

    scheduler.runUntil(() -> heard.lines().size() == 4, Duration.ofSeconds(40));

    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED", "VALUE brief", "DELETED");
    assertThat(heard.events.get(3).record()).isNull();
    assertThat(scheduler.now()).isAfterOrEqualTo(expiresAt);
    assertThat(scheduler.now()).isBefore(expiresAt.plusSeconds(1));
  }

  @Test
  void olderVersion_arrivingAfterANewer_isIgnored() {
    Mesh m = mesh();
    Heard heard = watch(m.w());
    await(m.o1().put(KEY, utf8("new"), null, TIMEOUT));
    scheduler.runUntil(() -> heard.has("VALUE new"), Duration.ofSeconds(5));
    ValueRecord older = ValueRecord.value(KEY, utf8("old"), new Version(1, id(0x01, 0)),
        scheduler.now().plus(Duration.ofHours(1)));

    boolean subscribed = m.w().handleNotify(m.r1().self(), KEY, RecordKind.PLAIN, List.of(older));

    assertThat(subscribed).isTrue();
    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED", "VALUE new");
  }

  @Test
  void notifyFromAPeerTheWatcherDidNotSubscribeTo_isRefused_andChangesNothing() {
    Mesh m = mesh();
    Heard heard = watch(m.w());
    ValueRecord forged = ValueRecord.value(KEY, utf8("forged"),
        new Version(micros(scheduler.now()), id(0x60, 0)), scheduler.now().plus(Duration.ofHours(1)));

    boolean fromStranger = m.w().handleNotify(m.o2().self(), KEY, RecordKind.PLAIN, List.of(forged));
    boolean otherKey = m.w().handleNotify(m.r1().self(), id(0x7F, 0), RecordKind.PLAIN,
        List.of(forged));
    boolean otherKind = m.w().handleNotify(m.r1().self(), KEY, RecordKind.SIGNED, List.of(forged));
    scheduler.runUntilIdle();

    assertThat(fromStranger).isFalse();
    assertThat(otherKey).isFalse();
    assertThat(otherKind).isFalse();
    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED");
  }

  @Test
  void notifiedRecordThatFailsTheGate_neverReachesTheView() {
    Mesh m = mesh();
    Heard heard = watch(m.w());
    // A version a day ahead of every clock: the gate's skew bound refuses it.
    ValueRecord ahead = ValueRecord.value(KEY, utf8("future"),
        new Version(micros(scheduler.now().plus(Duration.ofDays(1))), id(0x01, 0)),
        scheduler.now().plus(Duration.ofHours(1)));

    boolean subscribed = m.w().handleNotify(m.r1().self(), KEY, RecordKind.PLAIN, List.of(ahead));

    assertThat(subscribed).isTrue();
    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED");
  }

  @Test
  void lostNotify_isRepairedByTheRenewal_announcedByResync() {
    Mesh m = mesh();
    AtomicBoolean deaf = new AtomicBoolean();
    network.register(new ForwardingPeerHandler(PeerHandler.of(m.w())) {
      @Override
      public boolean handleNotify(Contact sender, NodeId key, RecordKind kind,
          List<ValueRecord> records) {
        // Lost on the way: the replica hears "still subscribed" and moves on.
        return deaf.get() || super.handleNotify(sender, key, kind, records);
      }
    });
    deaf.set(true);
    Heard heard = watch(m.w());

    await(m.o1().put(KEY, utf8("missed"), null, TIMEOUT));
    scheduler.advance(Duration.ofSeconds(5));
    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED");
    deaf.set(false);
    scheduler.runUntil(() -> heard.lines().size() > 2,
        config.watch().subscriptionTtl().dividedBy(2).plusSeconds(10));

    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED", "RESYNC", "VALUE missed",
        "SYNCED");
    // The replicas sent the lost notification (the watcher's answer said "still subscribed"), and
    // the watcher counted the one resync that repaired it.
    assertThat(counted.get("r1:1").notifications(WatchMetrics.NotifyResult.SENT)
        + counted.get("r2:1").notifications(WatchMetrics.NotifyResult.SENT)).isPositive();
    assertThat(counted.get("w:1").resyncs).hasValue(1);
    assertThat(counted.values()).allSatisfy(c -> {
      assertThat(c.notifications(WatchMetrics.NotifyResult.FAILED)).isZero();
      assertThat(c.notifications(WatchMetrics.NotifyResult.DROPPED)).isZero();
    });
  }

  @Test
  void subscriptionMoves_whenACloserNodeJoins_andTheWatcherStillSeesTheNextChange() {
    Mesh m = mesh();
    Heard heard = watch(m.w());
    KademliaNode closer = node(id(0x00, 0x01), "n:1");
    await(closer.join(List.of("o1:1")));
    scheduler.runUntil(() -> heard.has("RESYNC"),
        config.watch().subscriptionTtl().dividedBy(2).plusSeconds(10));
    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED", "RESYNC", "DELETED", "SYNCED");

    // The old replicas go silent: the newcomer takes the write, and only its notification can
    // tell the watcher.
    network.down("r1:1", InMemoryNetwork.Failure.SILENT);
    network.down("r2:1", InMemoryNetwork.Failure.SILENT);
    await(closer.put(KEY, utf8("after"), null, TIMEOUT));
    scheduler.runUntil(() -> heard.has("VALUE after"), Duration.ofSeconds(5));

    assertThat(heard.lines()).endsWith("VALUE after");
  }

  @Test
  void closingTheLastListener_stopsRenewing_andReplicasDropTheSubscription() {
    Mesh m = mesh();
    Heard heard = new Heard();
    AutoCloseable handle = m.w().watch(KEY, RecordKind.PLAIN, heard);
    scheduler.runUntil(() -> heard.has("SYNCED"), Duration.ofMinutes(1));
    try {
      handle.close();
    } catch (Exception e) {
      throw new AssertionError(e);
    }

    await(m.o1().put(KEY, utf8("unseen"), null, TIMEOUT));
    scheduler.advance(Duration.ofMinutes(5));
    boolean stillWanted = m.w().handleNotify(m.r1().self(), KEY, RecordKind.PLAIN, List.of());

    assertThat(heard.lines()).containsExactly("DELETED", "SYNCED");
    assertThat(stillWanted).isFalse();
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }
}
