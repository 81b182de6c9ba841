package io.kadmesh.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random operation sequences against a plain model of the bucket rules of §2.2 and §4.1. */
class RoutingTablePropertyTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final int K = 4;
  private static final int CACHE = 2;
  private static final int MAX_FAILURES = 2;
  private static final int POOL = 40;

  @Test
  void randomOperations_keepInvariants_andMatchTheModel() {
    qt().withExamples(200)
        .forAll(lists().of(integers().between(0, Integer.MAX_VALUE)).ofSizeBetween(1, 150))
        .checkAssert(RoutingTablePropertyTest::run);
  }

  private static void run(List<Integer> ops) {
    Random random = new Random(ops.size());
    NodeId self = NodeId.random(random);
    // Few buckets, many contacts each: buckets fill up and the cache rules get exercised.
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < POOL; i++) ids.add(self.randomWithPrefix(i % 3, random));
    ids.add(self);
    RoutingTable table = new RoutingTable(self, K, CACHE, MAX_FAILURES, T0);
    Model model = new Model(self);

    for (int op : ops) {
      NodeId id = ids.get((op >>> 3) % ids.size());
      Contact c = new Contact(id, "addr-" + ((op >>> 20) % 2) + "-" + id.shortHex());
      switch (op & 7) {
        case 0, 1, 2 -> {
          UpdateResult r = table.seen(c, T0);
          Contact expectedPing = model.seen(c);
          assertThat(r.toPing()).isEqualTo(expectedPing);
          if (r.outcome() == UpdateResult.Outcome.ADDRESS_CLAIMED) {
            // The contact at its old address answers, or it does not and the new one is taken.
            if ((op & 0x100) != 0) {
              table.pingAnswered(r.toPing(), T0);
              model.pingAnswered(r.toPing());
            } else {
              table.moved(r.toPing(), c, T0);
              model.moved(r.toPing(), c);
            }
          } else if (r.toPing() != null) {
            if ((op & 0x100) != 0) {
              table.pingAnswered(r.toPing(), T0);
              model.pingAnswered(r.toPing());
            } else {
              table.pingFailed(r.toPing());
              model.evict(r.toPing().id());
            }
          }
        }
        case 3, 4, 5 -> {
          table.failed(c);
          model.failed(c);
        }
        case 6 -> {
          table.remove(id);
          model.evict(id);
        }
        default -> {
          NodeId target = ids.get((op >>> 9) % ids.size());
          checkClosest(table, target, 1 + (op >>> 12) % 12);
        }
      }
      checkInvariants(table, self, model);
    }
  }

  private static void checkInvariants(RoutingTable table, NodeId self, Model model) {
    Set<NodeId> seen = new HashSet<>();
    int total = 0;
    // The pool only has IDs for buckets 0..2: those must hold every contact of the table.
    for (int i = 0; i < 3; i++) {
      List<Contact> bucket = table.bucket(i);
      assertThat(bucket.size()).isLessThanOrEqualTo(K);
      assertThat(bucket).containsExactlyElementsOf(model.entries(i));
      assertThat(table.replacements(i)).containsExactlyElementsOf(model.cache(i));
      for (Contact c : bucket) {
        assertThat(c.id()).isNotEqualTo(self);
        assertThat(self.commonPrefixLength(c.id())).isEqualTo(i);
        assertThat(seen.add(c.id())).as("duplicate %s", c).isTrue();
      }
      total += bucket.size();
    }
    assertThat(table.size()).isEqualTo(total);
  }

  private static void checkClosest(RoutingTable table, NodeId target, int n) {
    List<Contact> all = new ArrayList<>(table.contacts());
    all.removeAll(table.staleContacts());
    all.sort(Comparator.comparing(Contact::id, target::compareDistance));
    assertThat(table.closest(target, n)).containsExactlyElementsOf(all.subList(0, Math.min(n, all.size())));
  }

  /** The rules, written as plainly as possible; pings are answered at once, so none is pending. */
  private static final class Model {
    private final NodeId self;
    private final Map<Integer, List<Contact>> entries = new HashMap<>();
    private final Map<Integer, List<Contact>> cache = new HashMap<>();
    private final Map<NodeId, Integer> failures = new HashMap<>();

    Model(NodeId self) {
      this.self = self;
    }

    List<Contact> entries(int i) {
      return entries.computeIfAbsent(i, x -> new ArrayList<>());
    }

    List<Contact> cache(int i) {
      return cache.computeIfAbsent(i, x -> new ArrayList<>());
    }

    Contact seen(Contact c) {
      if (c.id().equals(self)) return null;
      List<Contact> b = entries(self.commonPrefixLength(c.id()));
      List<Contact> r = cache(self.commonPrefixLength(c.id()));
      Contact held = b.stream().filter(x -> x.id().equals(c.id())).findFirst().orElse(null);
      if (held != null && !held.address().equals(c.address())) {
        // A known ID at another address: kept where it is until that address fails a ping.
        return held;
      }
      if (b.removeIf(x -> x.id().equals(c.id())) || b.size() < K) {
        r.removeIf(x -> x.id().equals(c.id()));
        b.add(c);
        failures.put(c.id(), 0);
        return null;
      }
      r.removeIf(x -> x.id().equals(c.id()));
      Contact stale = b.stream().filter(x -> failures.getOrDefault(x.id(), 0) >= MAX_FAILURES)
          .findFirst().orElse(null);
      if (stale != null) {
        // §4.1: the first newcomer takes a stale contact's place.
        b.remove(stale);
        b.add(c);
        failures.put(c.id(), 0);
        return null;
      }
      r.add(c);
      if (r.size() > CACHE) r.remove(0);
      return b.get(0);
    }

    void pingAnswered(Contact c) {
      List<Contact> b = entries(self.commonPrefixLength(c.id()));
      Contact held = b.stream().filter(x -> x.id().equals(c.id())).findFirst().orElseThrow();
      b.remove(held);
      b.add(held);
      failures.put(c.id(), 0);
    }

    void moved(Contact old, Contact c) {
      List<Contact> b = entries(self.commonPrefixLength(c.id()));
      b.remove(old);
      b.add(c);
      failures.put(c.id(), 0);
    }

    void failed(Contact c) {
      if (c.id().equals(self)) return;
      int i = self.commonPrefixLength(c.id());
      if (entries(i).stream().anyMatch(x -> x.id().equals(c.id()))) {
        int f = failures.merge(c.id(), 1, Integer::sum);
        // Stale, but kept while no replacement is cached (§4.1).
        if (f >= MAX_FAILURES && !cache(i).isEmpty()) evict(c.id());
      } else {
        cache(i).removeIf(x -> x.id().equals(c.id()));
      }
    }

    void evict(NodeId id) {
      if (id.equals(self)) return;
      int i = self.commonPrefixLength(id);
      if (entries(i).removeIf(x -> x.id().equals(id))) {
        List<Contact> r = cache(i);
        if (!r.isEmpty()) {
          Contact promoted = r.remove(r.size() - 1);
          entries(i).add(promoted);
          failures.put(promoted.id(), 0);
        }
      }
    }
  }
}
