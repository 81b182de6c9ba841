package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  private final int maxFailures;
  private final KBucket[] buckets = new KBucket[NodeId.BITS];
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
    this.maxFailures = maxFailures;
    if (freshness.isNegative()) {
      throw new IllegalArgumentException("freshness must not be negative: " + freshness);
    }
    SubnetDiversity counts = diversity.copy();
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = new KBucket(k, replacementCacheSize, maxFailures, freshness, counts, now);
    }
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
      KBucket b = buckets[bucketIndex(contact.id())];
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
      return buckets[bucketIndex(contact.id())].claimed(contact, now);
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
      KBucket b = buckets[bucketIndex(old.id())];
      int before = b.size();
      removed = b.moved(old, moved, now);
      size += b.size() - before;
    }
    removed.forEach(this::notifyRemoved);
  }

  /** The contact the table asked to ping answered: it stays, moved to its bucket's tail. */
  public synchronized void pingAnswered(Contact contact, Instant now) {
    if (contact.id().equals(self)) return;
    buckets[bucketIndex(contact.id())].pingAnswered(contact, now);
  }

  /** The contact the table asked to ping did not answer: evicted for the newest replacement. */
  public void pingFailed(Contact contact) {
    if (contact.id().equals(self)) return;
    List<Contact> removed;
    synchronized (this) {
      KBucket b = buckets[bucketIndex(contact.id())];
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
      KBucket b = buckets[bucketIndex(contact.id())];
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
      KBucket b = buckets[bucketIndex(id)];
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
    List<Contact> group = new ArrayList<>();
    // Bucket t: contacts that agree with the target beyond bit t, the closest class.
    if (t < NodeId.BITS) {
      addSorted(buckets[t], group, out, n, byDistance);
    }
    // Buckets above t all differ from the target first at bit t: one class, sorted together.
    for (int i = t + 1; i < NodeId.BITS && out.size() < n; i++) {
      buckets[i].addLiveContactsTo(group);
    }
    flush(group, out, n, byDistance);
    // Buckets below t: each its own class, closer the higher the index.
    for (int i = Math.min(t, NodeId.BITS) - 1; i >= 0 && out.size() < n; i--) {
      addSorted(buckets[i], group, out, n, byDistance);
    }
    return out;
  }

  /** Every contact in the table. */
  public synchronized List<Contact> contacts() {
    List<Contact> out = new ArrayList<>(size);
    for (KBucket b : buckets) b.addContactsTo(out);
    return out;
  }

  /**
   * A snapshot of the whole table for operators: every bucket's contacts (least-recently seen
   * first) and then its replacement cache, by bucket index.
   */
  public synchronized List<ContactView> views() {
    List<ContactView> out = new ArrayList<>(size);
    for (int i = 0; i < buckets.length; i++) buckets[i].addViewsTo(i, out);
    return out;
  }

  /** The contacts of bucket {@code index}, least-recently seen first. */
  public synchronized List<Contact> bucket(int index) {
    return buckets[index].contacts();
  }

  /** The replacement cache of bucket {@code index}, most recent last. */
  public synchronized List<Contact> replacements(int index) {
    return buckets[index].replacements();
  }

  /** The contact held for {@code id} (in a bucket, not the cache), or null. */
  public synchronized Contact find(NodeId id) {
    if (id.equals(self)) return null;
    for (Contact c : buckets[bucketIndex(id)].contacts()) {
      if (c.id().equals(id)) return c;
    }
    return null;
  }

  public synchronized int size() {
    return size;
  }

  /** Contacts that are not stale: the ones this node can expect to answer. */
  public synchronized int liveSize() {
    int n = 0;
    for (KBucket b : buckets) n += b.liveCount();
    return n;
  }

  /** The stale contacts, kept for want of replacements: worth probing, for they may come back. */
  public synchronized List<Contact> staleContacts() {
    List<Contact> out = new ArrayList<>();
    for (KBucket b : buckets) b.addStaleTo(out);
    return out;
  }

  /** A lookup for a target in bucket {@code index}'s range just ran: the bucket is fresh (§2.3). */
  public synchronized void touch(int index, Instant now) {
    buckets[index].touch(now);
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
      if (!buckets[i].lastTouched().isAfter(cutoff)) out.add(i);
    }
    return out;
  }

  /** The index of the closest neighbour's bucket, or -1 when the table is empty. */
  public synchronized int highestNonEmptyBucket() {
    for (int i = NodeId.BITS - 1; i >= 0; i--) {
      if (!buckets[i].isEmpty()) return i;
    }
    return -1;
  }

  /** The non-empty buckets (contacts or replacements), lowest index first. */
  public synchronized List<BucketSummary> summaries() {
    List<BucketSummary> out = new ArrayList<>();
    for (int i = 0; i < buckets.length; i++) {
      KBucket b = buckets[i];
      if (b.size() > 0 || b.replacementCount() > 0) {
        out.add(new BucketSummary(i, b.size(), b.replacementCount(), b.lastTouched()));
      }
    }
    return out;
  }

  public int k() {
    return k;
  }

  private static void addSorted(KBucket b, List<Contact> group, List<Contact> out, int n,
      Comparator<Contact> byDistance) {
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
