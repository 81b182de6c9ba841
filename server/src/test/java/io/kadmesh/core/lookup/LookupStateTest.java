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

  @Test
  void answered_withThousandsOfContacts_addsAtMostK() {
    List<Contact> seeds = contacts(1);
    LookupState state = new LookupState(target, self, K, ALPHA, seeds);
    Contact asked = state.next().get(0);
    List<Contact> flood = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      flood.add(new Contact(NodeId.random(random), "10.1." + (i / 250) + "." + (i % 250) + ":7000"));
    }

    state.answered(asked, flood);

    assertThat(state.size()).isEqualTo(1 + K);
    for (Contact c : flood.subList(0, K)) {
      assertThat(state.status(c.id())).isEqualTo(LookupState.Status.WAITING);
    }
    assertThat(state.status(flood.get(K).id())).isNull();
  }

  @Test
  void answered_withUnusableAddressesOrThisNode_dropsThem() {
    LookupState state = new LookupState(target, self, K, ALPHA, contacts(1));
    Contact asked = state.next().get(0);
    List<String> unusable = List.of("no-port", "host:0", "0.0.0.0:7000", "[::]:7000",
        "224.0.0.1:7000", "[ff02::1]:7000", "host:70000", "[not-v6]:1", "bad host:1");
    List<Contact> answer = new ArrayList<>();
    for (String a : unusable) answer.add(new Contact(NodeId.random(random), a));
    answer.add(new Contact(self, "10.3.3.3:7000"));
    Contact good = new Contact(NodeId.random(random), "[2001:db8::1]:7000");
    answer.add(good);

    state.answered(asked, answer);

    assertThat(state.size()).isEqualTo(2);
    assertThat(state.status(good.id())).isEqualTo(LookupState.Status.WAITING);
    assertThat(state.status(self)).isNull();
  }

  @Test
  void answered_naming_aKnownIdAtAnotherAddress_keepsTheFirstAddress() {
    List<Contact> seeds = contacts(2);
    LookupState state = new LookupState(target, self, K, 1, seeds);
    Contact asked = state.next().get(0);
    Contact other = seeds.get(1);

    state.answered(asked, List.of(new Contact(other.id(), "10.66.66.66:7000")));

    assertThat(state.next()).containsExactly(other);
  }

  @Test
  void answers_overManyRounds_keepTheCandidatesBounded_droppingTheFarthestNeverAsked() {
    LookupState state = new LookupState(target, self, K, ALPHA, contacts(K));
    int bound = LookupState.CANDIDATES_PER_K * K;
    for (int round = 0; round < 50; round++) {
      List<Contact> asked = state.next();
      if (asked.isEmpty()) break;
      for (Contact c : asked) {
        state.answered(c, contacts(K));
      }
      long askedSoFar = state.asked().size();
      assertThat(state.size()).isLessThanOrEqualTo((int) Math.max(bound, askedSoFar));
    }
    // Whatever was asked is still there, so that its answer or failure is still counted.
    for (Contact c : state.asked()) {
      assertThat(state.status(c.id())).isNotEqualTo(LookupState.Status.WAITING).isNotNull();
    }
  }

  /** {@code n} contacts closer to the target than any of {@link #contacts}: what a liar would name. */
  private List<Contact> forgedNear(int n) {
    List<Contact> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Contact(target.randomWithPrefix(120 + i, random), "10.66.0." + i + ":7000"));
    }
    return out;
  }

  @Test
  void aPeerWhoseIntroductionsFail_isDistrusted_andItsOtherIntroductionsDropped() {
    List<Contact> honest = contacts(K);
    LookupState state = new LookupState(target, self, K, ALPHA, honest);
    List<Contact> first = state.next();
    Contact liar = first.get(0);
    List<Contact> forged = forgedNear(K);
    state.answered(liar, forged);
    for (Contact c : first.subList(1, ALPHA)) state.answered(c, List.of());

    // The forged contacts are the closest: the lookup asks them first, and they fail one by one.
    int failed = 0;
    while (!state.isDistrusted(liar.id())) {
      List<Contact> asked = state.next();
      assertThat(forged).containsAll(asked);
      for (Contact c : asked) {
        if (state.isDistrusted(liar.id())) break;
        state.failed(c);
        failed++;
      }
    }

    assertThat(failed).isEqualTo(LookupState.DISTRUST_AFTER);
    assertThat(state.status(liar.id())).as("its own answer stands").isEqualTo(LookupState.Status.ANSWERED);
    long forgedLeftWaiting = forged.stream()
        .filter(c -> state.status(c.id()) == LookupState.Status.WAITING).count();
    assertThat(forgedLeftWaiting).isZero();
    // The rest of the lookup goes to the honest candidates.
    assertThat(honest).containsAll(state.next());
  }

  @Test
  void aPeerWithSomeDeadIntroductions_amongAsManyLiveOnes_keepsItsAnswer() {
    List<Contact> seeds = contacts(1);
    LookupState state = new LookupState(target, self, K, ALPHA, seeds);
    Contact introducer = state.next().get(0);
    List<Contact> named = forgedNear(12);
    state.answered(introducer, named);

    // A table under churn: every other contact it names is gone (5 of the 10 asked).
    for (int round = 0; round < 10 && !state.isFinished(); round++) {
      for (Contact c : state.next()) {
        if (named.indexOf(c) % 2 == 1) state.failed(c); else state.answered(c, List.of());
      }
    }

    assertThat(named.stream().filter(c -> state.status(c.id()) == LookupState.Status.FAILED))
        .hasSize(LookupState.DISTRUST_AFTER);
    assertThat(state.isDistrusted(introducer.id())).isFalse();
    assertThat(state.status(introducer.id())).isEqualTo(LookupState.Status.ANSWERED);
  }

  @Test
  void stalledIntroductions_countAtOnce() {
    List<Contact> honest = contacts(K);
    LookupState state = new LookupState(target, self, K, ALPHA, honest);
    Contact liar = state.next().get(0);
    state.answered(liar, forgedNear(K));

    for (int i = 0; i < LookupState.DISTRUST_AFTER; i++) {
      for (Contact c : state.next()) state.stalled(c);
    }

    assertThat(state.isDistrusted(liar.id())).isTrue();
  }
}
