package io.kadmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.testing.Adversaries.Lie;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Liars in a simulated mesh: who is chosen, and what each lie answers to an honest member. */
class SimulatedAdversariesTest {
  private static SimulatedMesh mesh() {
    return SimulatedMesh.builder().size(50).seed(3).prefilledTables().maintenance(false).start();
  }

  @Test
  void choose_takesTheRoundedFraction_theSameMembersForTheSameSeed_andKeepsTheRestHonest() {
    try (SimulatedMesh a = mesh(); SimulatedMesh b = mesh()) {
      Adversaries x = Adversaries.choose(a, 0.2, EnumSet.of(Lie.DROP_STORES), new Random(9));
      Adversaries y = Adversaries.choose(b, 0.2, EnumSet.of(Lie.DROP_STORES), new Random(9));

      assertThat(x.count()).isEqualTo(10);
      assertThat(x.honest()).hasSize(40).isEqualTo(y.honest()).noneMatch(x::isLiar);
    }
  }

  @Test
  void choose_refusesFractionsOutsideZeroToOne() {
    try (SimulatedMesh m = mesh()) {
      assertThatThrownBy(() -> Adversaries.choose(m, 1, Set.of(Lie.DROP_STORES), new Random(1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1)");
      assertThatThrownBy(() -> Adversaries.choose(m, -0.1, Set.of(Lie.DROP_STORES), new Random(1)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void forgeContacts_answersKFreshContactsCloserThanEveryMember_atSilentAddresses_neverAValue() {
    try (SimulatedMesh m = mesh()) {
      Adversaries liars = Adversaries.choose(m, 0.1, EnumSet.of(Lie.FORGE_CONTACTS), new Random(4));
      int liar = firstLiar(m, liars);
      Contact self = m.node(liars.honest().get(0)).self();
      PeerTransport from = m.network().transportFor(self);
      Contact to = m.node(liar).self();
      NodeId key = NodeId.ofKey("forged");
      // This liar stores truthfully: it holds the record, and still never answers it.
      assertThat(m.await(from.store(to, record(m, key, self))).stored()).isTrue();
      assertThat(m.node(liar).handleFindValue(null, key, RecordKind.PLAIN).record()).isNotNull();

      List<Contact> found = m.await(from.findNode(to, key));
      FoundValue value = m.await(from.findValue(to, key, RecordKind.PLAIN));

      assertThat(found).hasSize(m.config().k());
      NodeId closestMember = m.node(0).self().id();
      for (int i = 1; i < m.size(); i++) {
        NodeId id = m.node(i).self().id();
        if (key.compareDistance(id, closestMember) < 0) closestMember = id;
      }
      for (Contact c : found) {
        assertThat(key.compareDistance(c.id(), closestMember)).as("%s vs %s", c, closestMember)
            .isNegative();
        assertThat(m.network().isDown(c.address())).as(c.address()).isTrue();
      }
      assertThat(found.stream().map(Contact::id).distinct()).hasSize(found.size());
      assertThat(value.record()).isNull();
      assertThat(value.closest()).hasSize(m.config().k()).doesNotContainAnyElementsOf(found);
      assertThat(liars.forgedAnswers()).isEqualTo(2);
      assertThat(liars.droppedStores()).isZero();
    }
  }

  @Test
  void dropStores_acknowledgesAStore_keepsNothing_andAnswersFindValueWithContactsOnly() {
    try (SimulatedMesh m = mesh()) {
      Adversaries liars = Adversaries.choose(m, 0.1, EnumSet.of(Lie.DROP_STORES), new Random(4));
      int liar = firstLiar(m, liars);
      Contact self = m.node(liars.honest().get(0)).self();
      PeerTransport from = m.network().transportFor(self);
      Contact to = m.node(liar).self();
      NodeId key = NodeId.ofKey("dropped");

      boolean stored = m.await(from.store(to, record(m, key, self))).stored();
      FoundValue value = m.await(from.findValue(to, key, RecordKind.PLAIN));

      assertThat(stored).isTrue();
      assertThat(m.node(liar).handleFindValue(null, key, RecordKind.PLAIN).record()).as("the node kept nothing").isNull();
      assertThat(value.record()).isNull();
      assertThat(value.closest()).isNotEmpty().allMatch(c -> !m.network().isDown(c.address()));
      assertThat(liars.droppedStores()).isEqualTo(1);
      assertThat(liars.forgedAnswers()).isZero();
    }
  }

  private static ValueRecord record(SimulatedMesh m, NodeId key, Contact writer) {
    return ValueRecord.value(key, new byte[] {7}, new Version(1, writer.id()),
        m.clock().instant().plus(Duration.ofHours(1)));
  }

  private static int firstLiar(SimulatedMesh m, Adversaries liars) {
    for (int i = 0; i < m.size(); i++) {
      if (liars.isLiar(i)) return i;
    }
    throw new AssertionError("no liar chosen");
  }
}
