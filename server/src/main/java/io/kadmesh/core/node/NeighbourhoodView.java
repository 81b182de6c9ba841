package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.routing.ContactView;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides whether this node's routing table already holds a fresh, complete view of a key's
 * neighbourhood, so that a write may skip its FIND_NODE lookup and send its STOREs at once.
 *
 * <p>Complete: no node the table could hold is missing from where the key's k closest lie. A
 * bucket that is not full took every contact that reached it (paper §2.2: a newcomer is dropped
 * only by a full bucket), so when every bucket whose range holds IDs closer to the key than the
 * k-th closest contact (every bucket, when the table holds fewer than k) is not full, a lookup
 * could only ask the nodes the table holds already. Buckets form distance classes (see {@link
 * RoutingTable#closest}): with t the key's own bucket and b the k-th closest's, those are bucket t
 * alone when b = t, and every bucket from min(t, b) up otherwise. Small meshes (N ≤ k, the
 * common sidecar case) have no full bucket at all.
 *
 * <p>Fresh: each of the k closest answered this node within {@code --contact-freshness} (the
 * table's own test of a "good" contact, BEP 5), has failed no request since, and is not stale.
 * Zero turns the skip off, as it turns off the table's trust in fresh contacts.
 *
 * <p>Why this is safe: the view is a guess that the STOREs check. Each replica answers with the
 * contacts it knows closer to the key than itself, and a STORE that fails gives its place to the
 * next closest ({@link ReplicaTargets}), so a node that joined unseen, or one that died within
 * the freshness window, still ends with the record on the true k closest, one round trip later.
 */
final class NeighbourhoodView {
  /** The contacts offered as candidates: the k closest and as many again to replace the dead. */
  static final int CANDIDATES_PER_K = 2;

  private final RoutingTable table;
  private final int k;
  private final Duration freshness;

  NeighbourhoodView(RoutingTable table, int k, Duration freshness) {
    this.table = table;
    this.k = k;
    this.freshness = freshness;
  }

  /**
   * The candidates to write {@code key}'s record to without a lookup (the table's closest, up to
   * {@link #CANDIDATES_PER_K} times k), or null when the view is not fresh and complete and a
   * lookup must run.
   */
  List<Contact> candidates(NodeId key, Instant now) {
    if (freshness.isZero()) return null;
    List<ContactView> views = table.views();
    if (views.isEmpty()) return null;
    int[] held = new int[NodeId.BITS];
    List<ContactView> live = new ArrayList<>(views.size());
    for (ContactView v : views) {
      if (v.replacement()) {
        // A replacement waits only beside a full bucket.
        held[v.bucket()] = k;
        continue;
      }
      held[v.bucket()]++;
      if (!v.stale()) live.add(v);
    }
    live.sort(Comparator.comparing(v -> v.contact().id(), key::compareDistance));
    int n = Math.min(k, live.size());
    if (n == 0) return null;
    Instant cutoff = now.minus(freshness);
    for (ContactView v : live.subList(0, n)) {
      if (v.failures() > 0 || v.lastSeen() == null || !v.lastSeen().isAfter(cutoff)) return null;
    }
    int t = table.bucketIndex(key);
    int from;
    int to;
    if (live.size() < k) {
      from = 0;
      to = NodeId.BITS - 1;
    } else {
      int b = live.get(k - 1).bucket();
      from = b == t ? t : Math.min(t, b);
      to = b == t ? t : NodeId.BITS - 1;
    }
    for (int i = from; i <= Math.min(to, NodeId.BITS - 1); i++) {
      if (held[i] >= k) return null;
    }
    List<Contact> out = new ArrayList<>(Math.min(live.size(), CANDIDATES_PER_K * k));
    for (ContactView v : live) {
      if (out.size() == CANDIDATES_PER_K * k) break;
      out.add(v.contact());
    }
    return out;
  }
}
