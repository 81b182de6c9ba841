package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.VirtualScheduler;
import io.kadmesh.core.sim.InMemoryNetwork;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.RecordStore.PutOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The version rule as properties over random sequences: {@link Version}'s order, the hybrid
 * logical clock ({@link VersionClock}), the record gate ({@link Limits#checkIncoming}) and, put
 * together, "a write made after a read wins" for writers whose clocks disagree within the skew.
 */
class VersionRuleModelTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration SKEW = Duration.ofMinutes(1);
  private static final long SKEW_MICROS = SKEW.toNanos() / 1_000;
  private static final NodeConfig CONFIG = NodeConfig.builder().maxClockSkew(SKEW).build();
  private static final Random IDS = new Random(11);
  /** Writers whose IDs differ in the top bit, so a signed comparison would order them wrongly. */
  private static final List<NodeId> WRITERS = List.of(
      id(0x00), id(0x7f), id(0x80), id(0xff), NodeId.random(IDS));

  // ---- Version -------------------------------------------------------------------------------

  @Test
  void versionOrder_isSequenceThenWriterAsUnsignedBytes_andATotalOrder() {
    qt().withFixedSeed(1L).withExamples(2000)
        .forAll(integers().between(0, Integer.MAX_VALUE), integers().between(0, Integer.MAX_VALUE),
            integers().between(0, Integer.MAX_VALUE))
        .checkAssert((x, y, z) -> {
          Version a = version(x);
          Version b = version(y);
          Version c = version(z);
          // Model: bigger sequence wins; a tie goes to the writer whose hex (unsigned bytes) is
          // larger. Catches a signed writer comparison or a writer compared before the sequence.
          assertThat(Integer.signum(a.compareTo(b))).as("%s vs %s", a, b).isEqualTo(modelOrder(a, b));
          assertThat(a.isNewerThan(b)).isEqualTo(modelOrder(a, b) > 0);
          assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
          // Transitivity: catches an order that is not total (replicas would then disagree).
          if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) assertThat(a.compareTo(c)).isLessThanOrEqualTo(0);
        });
  }

  private static Version version(int x) {
    // Few sequences, including the extremes, so ties and the edges of the range both occur.
    long[] sequences = {0, 1, 2, Long.MAX_VALUE - 1, Long.MAX_VALUE};
    return new Version(sequences[x % sequences.length], WRITERS.get((x / 5) % WRITERS.size()));
  }

  private static int modelOrder(Version a, Version b) {
    if (a.sequence() != b.sequence()) return a.sequence() > b.sequence() ? 1 : -1;
    return Integer.signum(a.writer().toHex().compareTo(b.writer().toHex()));
  }

  // ---- VersionClock --------------------------------------------------------------------------

  @Test
  void clock_neverGoesBack_tracksTime_andGoesPastEveryVersionItObserved() {
    qt().withFixedSeed(2L).withExamples(500)
        .forAll(lists().of(longs().between(0, Long.MAX_VALUE)).ofSizeBetween(1, 80))
        .checkAssert(ops -> {
          SteppedClock time = new SteppedClock(T0);
          VersionClock clock = new VersionClock(WRITERS.get(0), time);
          long floor = -1; // the highest sequence issued or observed so far
          for (long op : ops) {
            long arg = op >>> 3;
            switch ((int) (op & 7)) {
              // The wall clock steps forward or back by up to two skews, as NTP may step it.
              case 0, 1 -> time.now = time.now.plusNanos(1_000 * (arg % (4 * SKEW_MICROS) - 2 * SKEW_MICROS));
              case 3, 4 -> {
                // A version the gate would accept: anywhere from long ago up to the skew ahead.
                long seq = Math.max(0, VersionClock.micros(time.now) + SKEW_MICROS - arg % (3 * SKEW_MICROS));
                clock.observe(new Version(seq, WRITERS.get(1)));
                floor = Math.max(floor, seq);
              }
              case 2 -> {
                if (arg % 8 != 0) continue;
                // Far ahead, up to 2^63-1: no path should bring it here (the gate refuses it),
                // but a clock that meets one must still never issue a version that goes back.
                long seq = Long.MAX_VALUE - arg % 3;
                clock.observe(new Version(seq, WRITERS.get(1)));
                floor = Math.max(floor, seq);
              }
              default -> {
                if (floor == Long.MAX_VALUE) {
                  // Catches a sequence that overflows to negative and falls back to the wall clock.
                  assertThatThrownBy(clock::next).isInstanceOf(IllegalStateException.class);
                  continue;
                }
                long now = VersionClock.micros(time.now);
                Version v = clock.next();
                // Catches a clock that goes back with the wall clock, or ignores what it observed.
                assertThat(v.sequence()).as("next after %s at %s", floor, now).isGreaterThan(floor);
                // Catches a clock that falls behind physical time (it is an HLC, not a counter)
                // or jumps further ahead than it must (every jump eats into the peers' skew).
                assertThat(v.sequence()).isEqualTo(Math.max(now, floor + 1));
                assertThat(v.writer()).isEqualTo(WRITERS.get(0));
                floor = v.sequence();
              }
            }
          }
        });
  }

  // ---- the record gate -----------------------------------------------------------------------

  @Test
  void gate_refusesExactlyVersionsBeyondTheSkew_valuesOverTheLimit_andExpiriesBeyondMaxTtl() {
    Limits limits = new Limits(CONFIG);
    long maxTtlMicros = CONFIG.maxTtl().toNanos() / 1_000;
    qt().withFixedSeed(3L).withExamples(3000)
        .forAll(longs().between(-3 * SKEW_MICROS, 3 * SKEW_MICROS),
            longs().between(-SKEW_MICROS, maxTtlMicros + 3 * SKEW_MICROS),
            integers().between(CONFIG.maxValueBytes() - 2, CONFIG.maxValueBytes() + 2),
            integers().between(0, 9))
        .checkAssert((ahead, expiresIn, size, twist) -> {
          Instant now = T0.plusNanos(twist * 1_234_567L);
          long nowMicros = VersionClock.micros(now);
          // Now and then a sequence at the very top of the range (the forged 2^63-1),
          // and often one within a microsecond of each bound, which random longs rarely hit.
          long seq = switch (twist) {
            case 9 -> Long.MAX_VALUE;
            case 7, 8 -> nowMicros + SKEW_MICROS + Math.floorMod(ahead, 3) - 1;
            default -> nowMicros + ahead;
          };
          long edge = maxTtlMicros + SKEW_MICROS + Math.floorMod(expiresIn, 3) - 1;
          Instant expiresAt = now.plusNanos((twist % 3 == 0 ? edge : expiresIn) * 1_000);
          ValueRecord r = ValueRecord.value(key(0), new byte[size], new Version(seq, WRITERS.get(2)),
              expiresAt);
          boolean ok = seq - nowMicros <= SKEW_MICROS
              && size <= CONFIG.maxValueBytes()
              && !expiresAt.isAfter(now.plus(CONFIG.maxTtl()).plus(SKEW));
          // Catches a gate off by one at either bound, or one that checks only some fields.
          if (ok) {
            limits.checkIncoming(r, now);
          } else {
            assertThatThrownBy(() -> limits.checkIncoming(r, now)).as("%s at %s", r, now)
                .isInstanceOf(DhtException.class);
          }
        });
  }

  /**
   * Records from an anonymous peer's STORE, some ahead by more than the skew, then this node's
   * own put: its version goes past every record the node kept and owes nothing to those it
   * refused (a refused version that moved the clock would lock the node's own keys ahead).
   */
  @Test
  void refusedVersions_neverMoveTheClock_keptOnesAlwaysDo() {
    qt().withFixedSeed(4L).withExamples(150)
        .forAll(lists().of(longs().between(0, 8 * SKEW_MICROS)).ofSizeBetween(1, 12))
        .checkAssert(offsets -> {
          VirtualScheduler scheduler = new VirtualScheduler(T0);
          InMemoryNetwork network = new InMemoryNetwork(scheduler, new Random(1));
          Contact self = new Contact(WRITERS.get(4), "self:1");
          KademliaNode node = new KademliaNode(CONFIG, self, network.transportFor(self),
              new InMemoryRecordStore(1000, 1 << 24), scheduler, new Random(2));
          network.register(node);
          long now = VersionClock.micros(scheduler.now());
          long kept = -1;
          int i = 0;
          for (long offset : offsets) {
            // Offsets spread from two skews behind to six ahead of the node's clock.
            long seq = now - 2 * SKEW_MICROS + offset;
            ValueRecord r = ValueRecord.value(key(i++), new byte[1], new Version(seq, WRITERS.get(3)),
                scheduler.now().plus(Duration.ofHours(1)));
            try {
              if (node.handleStore(null, r).stored()) kept = Math.max(kept, seq);
              assertThat(seq - now).as("kept though ahead").isLessThanOrEqualTo(SKEW_MICROS);
            } catch (DhtException refused) {
              assertThat(seq - now).as("refused though within").isGreaterThan(SKEW_MICROS);
            }
          }
          WriteResult own = node.put(key(99), new byte[1], null, null).join();
          // Catches an observe() before the gate (the clock would jump past a refused version).
          assertThat(own.version().sequence()).isEqualTo(Math.max(now, kept + 1));
          node.close();
        });
  }

  // ---- write after read ----------------------------------------------------------------------

  /**
   * Writers whose clocks are off by up to half the skew each way (so any two disagree by at most
   * the skew) take turns: read the key from a replica, then write it; real time moves on by at
   * least a microsecond a turn, as a read and a write take. Every write must pass the replica's
   * gate and win, and the replica must end with the last write.
   */
  @Test
  void writeAfterRead_alwaysWins_forWritersWithinTheSkew() {
    Limits limits = new Limits(CONFIG);
    qt().withFixedSeed(5L).withExamples(500)
        .forAll(lists().of(longs().between(0, Long.MAX_VALUE)).ofSizeBetween(1, 40))
        .checkAssert(turns -> {
          long half = SKEW_MICROS / 2;
          Instant realTime = T0;
          List<SteppedClock> wallClocks = new ArrayList<>();
          List<VersionClock> writers = new ArrayList<>();
          for (int w = 0; w < 3; w++) {
            wallClocks.add(new SteppedClock(T0));
            writers.add(new VersionClock(WRITERS.get(w + 1), wallClocks.get(w)));
          }
          RecordStore replica = new InMemoryRecordStore(10, 1 << 20);
          ValueRecord last = null;
          for (long turn : turns) {
            int w = (int) (turn % 3);
            // Mostly tiny steps (many writes within one clock tick of each other), some long ones.
            long step = turn % 7 == 0 ? 1 + (turn >>> 8) % 5_000_000 : 1 + (turn >>> 8) % 3;
            realTime = realTime.plusNanos(step * 1_000);
            // Each turn the writer's clock sits anywhere in the band, back or forth from before.
            long offset = (turn >>> 32) % (2 * half + 1) - half;
            wallClocks.get(w).now = realTime.plusNanos(offset * 1_000);
            Instant replicaNow = realTime.plusNanos(((turn >>> 40) % (2 * half + 1) - half) * 1_000);

            replica.get(key(0), replicaNow).ifPresent(r -> writers.get(w).observe(r.version()));
            ValueRecord write = ValueRecord.value(key(0), new byte[] {(byte) turn},
                writers.get(w).next(), replicaNow.plus(Duration.ofHours(1)));
            // Catches a gate stricter than the skew, or a clock that creeps ahead of it.
            limits.checkIncoming(write, replicaNow);
            // Catches a writer whose clock ignored what it read: its write would be STALE.
            assertThat(replica.put(write, WRITERS.get(w + 1), RecordStore.PeerQuota.UNLIMITED))
                .as("write %s after reading %s", write, last).isEqualTo(PutOutcome.STORED);
            last = write;
          }
          assertThat(replica.get(key(0), realTime)).contains(last);
        });
  }

  /** A wall clock the test sets, forward or back, as NTP may step a real one. */
  private static final class SteppedClock implements Scheduler {
    Instant now;

    SteppedClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
      throw new UnsupportedOperationException("a clock only");
    }

    @Override
    public void executeBlocking(Runnable task) {
      throw new UnsupportedOperationException("a clock only");
    }
  }

  private static NodeId id(int firstByte) {
    byte[] b = new byte[NodeId.BYTES];
    IDS.nextBytes(b);
    b[0] = (byte) firstByte;
    return NodeId.fromBytes(b);
  }

  private static NodeId key(int i) {
    return NodeId.ofKey("key-" + i);
  }
}
