package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * Which nodes a new write's STOREs go to: the k closest to the key of the candidates known, as the
 * STOREs reveal more. Each replica answers with the k contacts it knows closest to the key, as
 * FIND_NODE would, so the STOREs double as the last round of a lookup (and stand in for the whole lookup
 * when this node's view of the key's neighbourhood was fresh: {@link NeighbourhoodView}); a
 * candidate whose STORE failed gives its place to the next closest. Placement thus ends on the k
 * closest live nodes the candidates and the answers name, as a lookup's does, and the node
 * written to but no longer among the k closest keeps its copy (the k-th closest's, as the paper's
 * §2.5 republish would put it there too).
 *
 * <p>Peers may lie, as in a lookup's answers ({@link io.kadmesh.core.lookup.LookupState}): an
 * answer whose contacts number more than k, or name one whose address could not be dialled
 * ({@link PeerAddress#isUsable}), is dropped whole; this node named in one is left out; an ID
 * already known keeps the first address heard for it; and the STOREs sent beyond the first k number at most k, so that a liar naming
 * unreachable IDs close to the key costs a bounded number of requests. Not thread-safe: the
 * writer's tally guards it.
 */
final class ReplicaTargets {
  private enum State { CANDIDATE, SENT, FAILED }

  private final NodeId key;
  private final NodeId self;
  private final int k;
  /** Keyed by XOR distance to the key: NodeId's unsigned order is distance order. */
  private final TreeMap<NodeId, Entry> candidates = new TreeMap<>();
  private int extraBudget;
  private int droppedAnswers;

  /** {@code candidates}: this node and what it knows closest to {@code key}, in any order. */
  ReplicaTargets(NodeId key, NodeId self, int k, Collection<Contact> candidates) {
    this.key = key;
    this.self = self;
    this.k = k;
    this.extraBudget = k;
    for (Contact c : candidates) {
      addCandidate(c);
    }
  }

  /** The replication factor: how many replicas a write aims for. */
  int k() {
    return k;
  }

  /** The first targets: the k closest candidates, each marked sent. */
  List<Contact> first() {
    return dueTargets(false);
  }

  /** The STORE to {@code target} failed (no answer): the next closest candidate takes its place. */
  List<Contact> failed(Contact target) {
    Entry e = candidates.get(key.xor(target.id()));
    if (e != null) e.state = State.FAILED;
    return dueTargets(true);
  }

  /**
   * {@code from} answered, naming {@code closer} as the contacts it knows closest to the key:
   * those that pass the checks join the candidates; answers the new targets to send to.
   */
  List<Contact> answered(Contact from, List<Contact> closer) {
    if (closer.isEmpty()) return List.of();
    if (!believable(closer)) {
      droppedAnswers++;
      return List.of();
    }
    for (Contact c : closer) {
      if (!c.id().equals(self)) addCandidate(c);
    }
    return dueTargets(true);
  }

  /** How many answers' closer contacts were dropped as lies. */
  int droppedAnswers() {
    return droppedAnswers;
  }

  private boolean believable(List<Contact> closer) {
    if (closer.size() > k) return false;
    for (Contact c : closer) {
      if (!PeerAddress.isUsable(c.address())) return false;
    }
    return true;
  }

  /**
   * The k closest candidates not known to have failed that were not sent to yet; each is marked
   * sent. {@code extra}: they count against the budget of STOREs beyond the first k.
   */
  private List<Contact> dueTargets(boolean extra) {
    List<Contact> out = new ArrayList<>();
    int seen = 0;
    for (Entry e : candidates.values()) {
      if (seen >= k) break;
      if (e.state == State.FAILED) continue;
      seen++;
      if (e.state == State.CANDIDATE) {
        if (extra) {
          if (extraBudget == 0) break;
          extraBudget--;
        }
        e.state = State.SENT;
        out.add(e.contact);
      }
    }
    return out;
  }

  private void addCandidate(Contact c) {
    candidates.putIfAbsent(key.xor(c.id()), new Entry(c));
  }

  private static final class Entry {
    final Contact contact;
    State state = State.CANDIDATE;

    Entry(Contact contact) {
      this.contact = contact;
    }
  }
}
