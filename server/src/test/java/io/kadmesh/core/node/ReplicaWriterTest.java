package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** How the writer tallies what each replica answered, and what it makes of a newer version held. */
class ReplicaWriterTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration SKEW = Duration.ofMinutes(1);

  private final Random random = new Random(8);
  private final VirtualScheduler scheduler = new VirtualScheduler(NOW);
  private final NodeConfig config = NodeConfig.builder().maxClockSkew(SKEW).build();
  private final Contact self = contact("self");
  private final VersionClock clock = new VersionClock(self.id(), scheduler);
  private final Map<Contact, StoreResult> answers = new HashMap<>();
  /** What this node's own store does with the record (it is one of the targets, or not). */
  private Function<ValueRecord, StoreResult> local = r -> StoreResult.STORED;
  private final ReplicaWriter writer = newWriter();

  private ReplicaWriter newWriter() {
    PeerTransport transport = new AnsweringTransport();
    RoutingTable table = new RoutingTable(self.id(), config.k(), 4, 3, NOW);
    ContactLiveness liveness = new ContactLiveness(table, transport, scheduler, config.rpcTimeout(),
        c -> {}, c -> {});
    return new ReplicaWriter(config, self, transport, scheduler, liveness, (r, own) -> local.apply(r),
        new Limits(config), clock);
  }

  private Contact contact(String name) {
    return new Contact(NodeId.random(random), name + ":1");
  }

  private Version ahead(Duration by) {
    return new Version(VersionClock.micros(NOW.plus(by)), NodeId.random(random));
  }

  private WriteResult write(ValueRecord record, List<Contact> targets) {
    CompletableFuture<WriteResult> result = writer.write(record, targets, NOW.plusSeconds(10));
    scheduler.runUntilIdle();
    assertThat(result).isDone();
    return result.join();
  }

  private DhtException failureOf(ValueRecord record, List<Contact> targets) {
    try {
      WriteResult unexpected = write(record, targets);
      throw new AssertionError("the write succeeded: " + unexpected);
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(DhtException.class);
      return (DhtException) e.getCause();
    }
  }

  private ValueRecord ourRecord() {
    return ValueRecord.value(NodeId.ofKey("k"), new byte[] {1}, clock.next(), NOW.plusSeconds(600));
  }

  @Test
  void write_whoseOnlyReplicasHoldANewerVersionWithinTheSkew_failsConflictNamingTheNewest_andMovesTheClockPastIt() {
    Contact a = contact("a");
    Contact b = contact("b");
    Version newer = ahead(Duration.ofSeconds(20));
    Version newest = ahead(Duration.ofSeconds(30));
    answers.put(a, StoreResult.notStored(newer));
    answers.put(b, StoreResult.notStored(newest));

    DhtException failure = failureOf(ourRecord(), List.of(a, b));

    assertThat(failure.reason()).isEqualTo(DhtException.Reason.CONFLICT);
    assertThat(failure).hasMessageContaining("written by " + newest.writer().shortHex())
        .hasMessageContaining("at " + NOW.plusSeconds(30))
        .hasMessageContaining("retry");
    assertThat(clock.next().isNewerThan(newest)).isTrue();
  }

  @Test
  void write_keptBySomeAndRefusedForANewerVersionByOthers_countsTheKeptAndReportsTheNewerHeld() {
    Contact kept = contact("kept");
    Contact refused = contact("refused");
    Contact silent = contact("silent");
    Version newer = ahead(Duration.ofSeconds(30));
    answers.put(kept, StoreResult.STORED);
    answers.put(refused, StoreResult.notStored(newer));
    answers.put(silent, StoreResult.notStored(null));

    WriteResult result = write(ourRecord(), List.of(self, kept, refused, silent));

    assertThat(result.replicas()).isEqualTo(2);
    assertThat(result.newerHeld()).isEqualTo(newer);
  }

  @Test
  void write_refusedByThisNodesOwnStoreForANewerVersion_failsConflict() {
    Version newer = ahead(Duration.ofSeconds(30));
    local = r -> StoreResult.notStored(newer);

    DhtException failure = failureOf(ourRecord(), List.of(self));

    assertThat(failure.reason()).isEqualTo(DhtException.Reason.CONFLICT);
    assertThat(clock.next().isNewerThan(newer)).isTrue();
  }

  @Test
  void write_refusedForAVersionBeyondTheSkew_countsThatReplicaAsFailing_andLeavesTheClockAlone() {
    Contact liar = contact("liar");
    answers.put(liar, StoreResult.notStored(ahead(SKEW.plusSeconds(1))));
    ValueRecord record = ourRecord();

    DhtException failure = failureOf(record, List.of(liar));

    assertThat(failure.reason()).isEqualTo(DhtException.Reason.UNAVAILABLE);
    assertThat(clock.next().sequence()).isEqualTo(record.version().sequence() + 1);
  }

  @Test
  void write_refusedForAClaimedNewerVersionThatIsOlderThanTheRecord_countsThatReplicaAsFailing() {
    Contact liar = contact("liar");
    ValueRecord record = ourRecord();
    answers.put(liar, StoreResult.notStored(new Version(record.version().sequence() - 1,
        NodeId.random(random))));

    DhtException failure = failureOf(record, List.of(liar));

    assertThat(failure.reason()).isEqualTo(DhtException.Reason.UNAVAILABLE);
  }

  @Test
  void write_refusedAsFullByOneAndForANewerVersionByAnother_failsConflict_sinceARetryCanWin() {
    Contact a = contact("a");
    answers.put(a, StoreResult.notStored(ahead(Duration.ofSeconds(5))));
    local = r -> {
      throw DhtException.exhausted("storage is full");
    };

    DhtException failure = failureOf(ourRecord(), List.of(self, a));

    assertThat(failure.reason()).isEqualTo(DhtException.Reason.CONFLICT);
  }

  /** Answers each STORE with what the test put in {@link #answers}. */
  private final class AnsweringTransport implements PeerTransport {
    @Override
    public CompletableFuture<Contact> ping(String address) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("ping"));
    }

    @Override
    public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("findNode"));
    }

    @Override
    public CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind) {
      return CompletableFuture.failedFuture(new UnsupportedOperationException("findValue"));
    }

    @Override
    public CompletableFuture<StoreResult> store(Contact to, ValueRecord record) {
      return CompletableFuture.completedFuture(answers.get(to));
    }
  }
}
