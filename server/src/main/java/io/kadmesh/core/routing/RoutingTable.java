package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A node's k-buckets (paper §2.2, §2.4): bucket i holds contacts sharing exactly i leading bits
 * with this node's ID. Does no I/O: a full bucket answers which contact to ping, and the caller
 * reports the outcome. Thread-safe.
 *
 * <p>Implementation notes: the table is a flat array of 256 buckets rather than the paper's
 * splitting tree; it holds the same contacts as a tree that never splits buckets off the path to
 * its own ID, which is the paper's rule except for the relaxation of §4.2 (not done here).
 *
 * <p>Contacts earn their place: {@link #seen} is told only of contacts that answered this node at
 * their address with their ID; a request's sender is a claim ({@link #claimed}) that the caller
 * checks with a ping first (go-libp2p-kad-dht's lookupCheck). A live contact keeps its address
 * until that address stops answering ({@link #moved}), and {@link SubnetDiversity} caps how many
 * contacts one subnet holds.
 */
public final class RoutingTable {
  private final NodeId self;
  private final int k;
  private final BucketRules rules;
  /** When the table began: the last touch of every bucket not yet allocated. */
  private final Instant created;
  /**
   * Bucket i at index i, null until it first holds a contact or is touched, and only as long as
   * the highest such index: a table of a network of N nodes uses about log2(N / k) + 4 of the 256
   * (a million simulated tables must fit in memory).
   */
  private KBucket[] buckets = new KBucket[0];
  private volatile Consumer<Contact> removalListener = c -> {};
  private int size;

  /** A table that pings the head of a full bucket for every newcomer, as the paper does. */
  public RoutingTable(NodeId self, int k, int replacementCacheSize, int maxFailures, Instant now) {
    this(self, k, replacementCacheSize, maxFailures, Duration.ZERO, SubnetDiversity.NONE, now);
  }

  /**
   * {@code freshness}: a full bucket whose least-recently seen contact was heard from within this
   * long caches a newcomer without asking for a ping (zero: always ask, as the paper does).
   */
  public RoutingTable(NodeId self, int k, int replacementCacheSize, int maxFailures,
      Duration freshness, Instant now) {
    this(self, k, replacementCacheSize, maxFailures, freshness, SubnetDiversity.NONE, now);
  }

  /** As above, within {@code diversity}'s subnet limits (the table keeps its own counts). */
  public RoutingTable(NodeId self, int k, int replacementCacheSize, int maxFailures,
      Duration freshness, SubnetDiversity diversity, Instant now) {
    this.self = Objects.requireNonNull(self, "self");
    this.k = k;
    if (freshness.isNegative()) {
      throw new IllegalArgumentException("freshness must not be negative: " + freshness);
    }
    this.rules = new BucketRules(k, replacementCacheSize, maxFailures, freshness, diversity.copy());
    this.created = Objects.requireNonNull(now, "now");
  }

  /**
   * Told of every contact that leaves the table, and of every cached newcomer dropped after a
   * failed request, outside the table's lock; not of a newcomer a full replacement cache drops for
   * a newer one (it failed nothing).
   */
  public void setRemovalListener(Consumer<Contact> listener) {
    this.removalListener = Objects.requireNonNull(listener, "listener");
  }

  public NodeId self() {
    return self;
  }

  /** The bucket index of {@code id}: the length of the prefix it shares with this node's ID. */
  public int bucketIndex(NodeId id) {
    return self.commonPrefixLength(id);
  }

  /**
   * {@code contact} answered this node at its address with its ID (paper §2.2: every message
   * updates the table; here every message this node can vouch for).
   */
  public UpdateResult seen(Contact contact, Instant now) {
    return seen(contact, now, true);
  }

  /**
   * {@code contact}, who had sent a PING, answered: as {@link #seen(Contact, Instant)}, but a full bucket caches it
   * without asking to ping its head. Otherwise the ping a full bucket asks for would reach a node
   * that does not know the pinger, which would ping its own head in turn, and so on through the
   * network: one message would set off a chain of pings.
   */
  public UpdateResult seenPing(Contact contact, Instant now) {
    return seen(contact, now, false);
  }

  private UpdateResult seen(Contact contact, Instant now, boolean mayPing) {
    if (contact.id().equals(self)) return UpdateResult.IGNORED;
    KBucket.Change change;
    synchronized (this) {
      KBucket b = bucketFor(bucketIndex(contact.id()));
      int before = b.size();
      change = b.seen(contact, now, mayPing);
      size += b.size() - before;
    }
    notifyRemoved(change.removed());
    return change.result();
  }

  /**
   * A request named {@code contact} as its sender: refreshes it when it is held, live, at that
   * address; otherwise changes nothing and answers UNVERIFIED (check it by a ping) or REFUSED.
   */
  public UpdateResult claimed(Contact contact, Instant now) {
    if (contact.id().equals(self)) return UpdateResult.IGNORED;
    synchronized (this) {
      KBucket b = bucketOrNull(bucketIndex(contact.id()));
      if (b != null) return b.claimed(contact, now);
      // An empty bucket holds and caches nothing: only the diversity limits could refuse.
      return rules.diversity().admits(contact, bucketIndex(contact.id()), null, null)
          ? UpdateResult.UNVERIFIED : UpdateResult.REFUSED;
    }
  }

  /**
   * After ADDRESS_CLAIMED: {@code old} did not answer at its address, so {@code moved}, which
   * answered with the same ID, takes its place (a no-op when the table no longer holds {@code old}).
   */
  public void moved(Contact old, Contact moved, Instant now) {
    if (old.id().equals(self) || !old.id().equals(moved.id())) return;
    List<Contact> removed;
    synchronized (this) {
      KBucket b = bucketOrNull(bucketIndex(old.id()));
      if (b == null) return;
      int before = b.size();
      removed = b.moved(old, moved, now);
      size += b.size() - before;
    }
    removed.forEach(this::notifyRemoved);
  }

  /** The contact the table asked to ping answered: it stays, moved to its bucket's tail. */
  public synchronized void pingAnswered(Contact contact, Instant now) {
    if (contact.id().equals(self)) return;
    KBucket b = bucketOrNull(bucketIndex(contact.id()));
    if (b != null) b.pingAnswered(contact, now);
  }

  /** The contact the table asked to ping did not answer: evicted for the newest replacement. */
  public void pingFailed(Contact contact) {
    if (contact.id().equals(self)) return;
    List<Contact> removed;
    synchronized (this) {
      KBucket b = bucketOrNull(bucketIndex(contact.id()));
      if (b == null) return;
      int before = b.size();
      removed = b.pingFailed(contact);
      size += b.size() - before;
    }
    removed.forEach(this::notifyRemoved);
  }

  /**
   * A request to {@code contact} failed or timed out; after {@code maxFailures} failures in a row
   * it is stale, and the newest replacement takes its place; with none, it stays, flagged, until
   * a newcomer arrives or it answers again (paper §4.1).
   */
  public void failed(Contact contact) {
    if (contact.id().equals(self)) return;
    List<Contact> removed;
    synchronized (this) {
      KBucket b = bucketOrNull(bucketIndex(contact.id()));
      if (b == null) return;
      int before = b.size();
      removed = b.failed(contact.id());
      size += b.size() - before;
    }
    removed.forEach(this::notifyRemoved);
  }

  /** Removes {@code id} at once, promoting a replacement (e.g. a peer of another network). */
  public void remove(NodeId id) {
    if (id.equals(self)) return;
    List<Contact> removed;
    synchronized (this) {
      KBucket b = bucketOrNull(bucketIndex(id));
      if (b == null) return;
      int before = b.size();
      removed = b.evict(id);
      size += b.size() - before;
    }
    removed.forEach(this::notifyRemoved);
  }

  /**
   * The {@code n} live contacts closest to {@code target} by XOR distance; stale ones are left out
   * (they are likely gone: offered to a lookup, or to a peer asking, they would crowd out the live
   * ones). Walks the buckets in order
   * of distance instead of sorting the whole table: bucket i's contacts all differ from the target
   * first at bit min(i, t) where t is the target's own index, so buckets form distance classes.
   */
  public synchronized List<Contact> closest(NodeId target, int n) {
    List<Contact> out = new ArrayList<>(Math.min(n, size));
    if (n <= 0) return out;
    Comparator<Contact> byDistance = (a, b) -> target.compareDistance(a.id(), b.id());
    int t = bucketIndex(target);
    int used = buckets.length;
    List<Contact> group = new ArrayList<>();
    // Bucket t: contacts that agree with the target beyond bit t, the closest class.
    if (t < used) {
      addSorted(buckets[t], group, out, n, byDistance);
    }
    // Buckets above t all differ from the target first at bit t: one class, sorted together.
    for (int i = t + 1; i < used && out.size() < n; i++) {
      if (buckets[i] != null) buckets[i].addLiveContactsTo(group);
    }
    flush(group, out, n, byDistance);
    // Buckets below t: each its own class, closer the higher the index.
    for (int i = Math.min(t, used) - 1; i >= 0 && out.size() < n; i--) {
      addSorted(buckets[i], group, out, n, byDistance);
    }
    return out;
  }

  /** Every contact in the table. */
  public synchronized List<Contact> contacts() {
    List<Contact> out = new ArrayList<>(size);
    for (KBucket b : buckets) {
      if (b != null) b.addContactsTo(out);
    }
    return out;
  }

  /**
   * A snapshot of the whole table for operators: every bucket's contacts (least-recently seen
   * first) and then its replacement cache, by bucket index.
   */
  public synchronized List<ContactView> views() {
    List<ContactView> out = new ArrayList<>(size);
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] != null) buckets[i].addViewsTo(i, out);
    }
    return out;
  }

  /** The contacts of bucket {@code index}, least-recently seen first. */
  public synchronized List<Contact> bucket(int index) {
    Objects.checkIndex(index, NodeId.BITS);
    KBucket b = bucketOrNull(index);
    return b == null ? new ArrayList<>() : b.contacts();
  }

  /** The replacement cache of bucket {@code index}, most recent last. */
  public synchronized List<Contact> replacements(int index) {
    Objects.checkIndex(index, NodeId.BITS);
    KBucket b = bucketOrNull(index);
    return b == null ? List.of() : b.replacements();
  }

  /** The contact held for {@code id} (in a bucket, not the cache), or null. */
  public synchronized Contact find(NodeId id) {
    if (id.equals(self)) return null;
    KBucket b = bucketOrNull(bucketIndex(id));
    return b == null ? null : b.find(id);
  }

  public synchronized int size() {
    return size;
  }

  /** Contacts that are not stale: the ones this node can expect to answer. */
  public synchronized int liveSize() {
    int n = 0;
    for (KBucket b : buckets) {
      if (b != null) n += b.liveCount();
    }
    return n;
  }

  /** The stale contacts, kept for want of replacements: worth probing, for they may come back. */
  public synchronized List<Contact> staleContacts() {
    List<Contact> out = new ArrayList<>();
    for (KBucket b : buckets) {
      if (b != null) b.addStaleTo(out);
    }
    return out;
  }

  /** A lookup for a target in bucket {@code index}'s range just ran: the bucket is fresh (§2.3). */
  public synchronized void touch(int index, Instant now) {
    Objects.checkIndex(index, NodeId.BITS);
    bucketFor(index).touch(now);
  }

  /** Marks the bucket of {@code target} as touched by a lookup for it. */
  public void touchBucketOf(NodeId target, Instant now) {
    int i = bucketIndex(target);
    if (i < NodeId.BITS) touch(i, now);
  }

  /**
   * The indexes of buckets no lookup touched for {@code interval}, up to the bucket of the closest
   * neighbour: buckets beyond it hold no node the network knows of, refreshing them finds nothing.
   */
  public synchronized List<Integer> bucketsIdleSince(Instant now, Duration interval) {
    Instant cutoff = now.minus(interval);
    List<Integer> out = new ArrayList<>();
    int last = highestNonEmptyBucket();
    for (int i = 0; i <= last; i++) {
      KBucket b = bucketOrNull(i);
      Instant touched = b == null ? created : b.lastTouched();
      if (!touched.isAfter(cutoff)) out.add(i);
    }
    return out;
  }

  /** The index of the closest neighbour's bucket, or -1 when the table is empty. */
  public synchronized int highestNonEmptyBucket() {
    for (int i = buckets.length - 1; i >= 0; i--) {
      if (buckets[i] != null && !buckets[i].isEmpty()) return i;
    }
    return -1;
  }

  /** The non-empty buckets (contacts or replacements), lowest index first. */
  public synchronized List<BucketSummary> summaries() {
    List<BucketSummary> out = new ArrayList<>();
    for (int i = 0; i < buckets.length; i++) {
      KBucket b = buckets[i];
      if (b != null && (b.size() > 0 || b.replacementCount() > 0)) {
        out.add(new BucketSummary(i, b.size(), b.replacementCount(), b.lastTouched()));
      }
    }
    return out;
  }

  public int k() {
    return k;
  }

  /** Bucket {@code i}, or null when it was never used. */
  private KBucket bucketOrNull(int i) {
    return i < buckets.length ? buckets[i] : null;
  }

  /** Bucket {@code i}, allocated (and the array grown to reach it) on first use. */
  private KBucket bucketFor(int i) {
    if (i >= buckets.length) buckets = Arrays.copyOf(buckets, i + 1);
    KBucket b = buckets[i];
    if (b == null) {
      b = new KBucket(rules, i, created);
      buckets[i] = b;
    }
    return b;
  }

  private static void addSorted(KBucket b, List<Contact> group, List<Contact> out, int n,
      Comparator<Contact> byDistance) {
    if (b == null) return;
    b.addLiveContactsTo(group);
    flush(group, out, n, byDistance);
  }

  private static void flush(List<Contact> group, List<Contact> out, int n, Comparator<Contact> byDistance) {
    group.sort(byDistance);
    for (int i = 0; i < group.size() && out.size() < n; i++) out.add(group.get(i));
    group.clear();
  }

  private void notifyRemoved(Contact c) {
    if (c != null) removalListener.accept(c);
  }
}
