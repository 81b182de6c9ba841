package io.kadmesh.core.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LookupStateTest {
  private static final int K = 10;
  private static final int ALPHA = 3;
  private final Random random = new Random(5);
  private final NodeId self = NodeId.random(random);
  private final NodeId target = NodeId.random(random);

  private List<Contact> contacts(int n) {
    List<Contact> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Contact(NodeId.random(random), "10.0.0." + i + ":7000"));
    }
    out.sort(Comparator.comparing(Contact::id, target::compareDistance));
    return out;
  }

  @Test
  void next_whileAnswersBringCloserNodes_asksAlphaAtATime() {
    List<Contact> far = contacts(K);
    LookupState state = new LookupState(target, self, K, ALPHA, far);
    List<Contact> first = state.next();
    assertThat(first).hasSize(ALPHA);

    // An answer naming a node closer than any seen is progress: the lookup stays at α.
    Contact closer = new Contact(target.randomWithPrefix(200, random), "10.0.1.1:7000");
    state.answered(first.get(0), List.of(closer));

    assertThat(state.next()).containsExactly(closer);
  }

  @Test
  void next_afterAlphaAnswersWithNothingCloser_asksAllRemainingOfTheKClosestAtOnce() {
    List<Contact> known = contacts(K);
    LookupState state = new LookupState(target, self, K, ALPHA, known);
    List<Contact> first = state.next();

    for (Contact c : first) {
      state.answered(c, known);
    }

    // Converged (paper §2.3): the other k - α are asked in one go, not α at a time.
    assertThat(state.next()).hasSize(K - ALPHA).doesNotContainAnyElementsOf(first);
  }
}
