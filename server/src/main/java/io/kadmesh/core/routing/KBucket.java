package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One k-bucket (paper §2.2): up to k contacts, least-recently seen first, plus a replacement cache
 * of newcomers that arrived while it was full (§4.1), most recent last. Not thread-safe: the
 * {@link RoutingTable} guards it.
 *
 * <p>A contact that failed {@code maxFailures} requests in a row is <em>stale</em> (§4.1): it is
 * replaced by the newest cached newcomer, or by the next newcomer to arrive, but with no
 * replacement at hand it stays, flagged. Dropping it then would forget the only way back to a part
 * of the network that is merely cut off for a while: a partition would never heal.
 *
 * <p>Only {@link #seen} takes contacts that answered this node at their address; a request's
 * sender is a mere claim ({@link #claimed}), which refreshes a contact already held at that
 * address and changes nothing else. A newcomer over the {@link SubnetDiversity} limits is neither
 * added nor cached, and a cached one is promoted only within them.
 */
final class KBucket {
  private final int k;
  private final int replacementCacheSize;
  private final int maxFailures;
  private final Duration freshness;
  private final SubnetDiversity diversity;
  /** Least-recently seen first: the head is the one to ping when a newcomer knocks. */
  private final List<Entry> entries = new ArrayList<>();
  /** Newest last: on eviction the most recently seen newcomer is promoted. */
  private final List<Contact> replacements = new ArrayList<>();
  private Instant lastTouched;
  /** The least-recently seen contact the caller is pinging, so that it is asked only once. */
  private Contact pinging;

  KBucket(int k, int replacementCacheSize, int maxFailures, Duration freshness,
      SubnetDiversity diversity, Instant now) {
    this.k = k;
    this.diversity = diversity;
    this.replacementCacheSize = replacementCacheSize;
    this.maxFailures = maxFailures;
    this.freshness = freshness;
    this.lastTouched = now;
  }

  /**
   * A contact that answered this node at its address: moved to the tail, added, or cached when the
   * bucket is full. {@code mayPing}: whether a full bucket may ask to ping its head for it. A known
   * ID at another address changes nothing yet: the answer names the contact at its old address, to
   * be pinged before {@link #moved} adopts the new one.
   */
  Change seen(Contact c, Instant now, boolean mayPing) {
    int i = indexOf(c.id());
    if (i >= 0) {
      Contact held = entries.get(i).contact;
      if (!held.address().equals(c.address())) {
        return new Change(UpdateResult.addressClaimed(held), null);
      }
      removeEntry(i);
      addEntry(new Entry(c, now));
      return new Change(UpdateResult.UPDATED, null);
    }
    if (!diversity.admits(c, contacts())) {
      removeReplacement(c.id());
      return new Change(UpdateResult.REFUSED, null);
    }
    if (entries.size() < k) {
      removeReplacement(c.id());
      addEntry(new Entry(c, now));
      return new Change(UpdateResult.ADDED, null);
    }
    int stale = indexOfStale();
    if (stale >= 0) {
      // §4.1: a stale contact gives way to the first newcomer once one exists.
      removeReplacement(c.id());
      Contact gone = removeEntry(stale).contact;
      clearPing(gone.id());
      addEntry(new Entry(c, now));
      return new Change(UpdateResult.ADDED, gone);
    }
    // A full cache drops its oldest newcomer, which is not reported as removed: it failed nothing,
    // it was only never in the table. Reported, it would be probed as lost, and its answer would
    // cache it again and push out the next oldest: a ping every second per node, for as long as
    // a bucket has more candidates than k plus the cache (the far bucket at 100 nodes).
    cacheReplacement(c);
    if (!mayPing || pinging != null || isFresh(entries.get(0), now)) {
      // A ping of the head is already under way, or the head was heard from so recently that
      // it is known to be alive (BEP 5's "good" node): a ping would only tell what is known.
      // Without this, every newcomer knocking at a full bucket costs a ping, and the pinged node,
      // not knowing the pinger, pings its own head in turn: a chain of pings per message.
      return new Change(UpdateResult.cached(null), null);
    }
    pinging = entries.get(0).contact;
    return new Change(UpdateResult.cached(pinging), null);
  }

  /**
   * A request named {@code c} as its sender. A live contact held at that very address is seen
   * again (we talk to that address anyway); its failures stand, for a claim proves nothing. A
   * cached newcomer at that very address stays cached, as the newest.
   * Anything else is left as it is: UNVERIFIED asks the caller to check the claim by a ping,
   * REFUSED says the diversity limits would turn it away even so.
   */
  UpdateResult claimed(Contact c, Instant now) {
    int i = indexOf(c.id());
    if (i >= 0) {
      Entry e = entries.get(i);
      if (!e.contact.address().equals(c.address()) || e.failures >= maxFailures) {
        return UpdateResult.UNVERIFIED;
      }
      entries.remove(i);
      e.lastSeen = now;
      entries.add(e);
      return UpdateResult.UPDATED;
    }
    // A newcomer already cached at that address answered a check once: it moves to the cache's
    // newest end, as a verified contact would, instead of costing a ping per request it sends.
    if (replacements.contains(c)) {
      cacheReplacement(c);
      return UpdateResult.UPDATED;
    }
    return diversity.admits(c, contacts()) ? UpdateResult.UNVERIFIED : UpdateResult.REFUSED;
  }

  /**
   * {@code old} no longer answers at its address while {@code c} answered with its ID at another:
   * the new address is adopted (within the diversity limits; beyond them the contact leaves).
   * Answers the contacts that left the bucket; nothing when the bucket no longer holds {@code old}.
   */
  List<Contact> moved(Contact old, Contact c, Instant now) {
    int i = indexOf(old.id());
    if (i < 0 || !entries.get(i).contact.equals(old)) return List.of();
    clearPing(old.id());
    removeEntry(i);
    if (diversity.admits(c, contacts())) {
      removeReplacement(c.id());
      addEntry(new Entry(c, now));
    } else {
      promoteReplacement();
    }
    return List.of(old);
  }

  /** The pinged contact answered: it stays, as the most recently seen (§2.2 prefers old nodes). */
  void pingAnswered(Contact c, Instant now) {
    clearPing(c.id());
    int i = indexOf(c.id());
    if (i >= 0) {
      Entry e = entries.remove(i);
      entries.add(new Entry(e.contact, now));
    }
  }

  /** The pinged contact did not answer: evicted, and the newest replacement takes its place. */
  List<Contact> pingFailed(Contact c) {
    clearPing(c.id());
    return evict(c.id());
  }

  /**
   * One more failed request to {@code id}; answers the contacts that left the bucket: the contact
   * itself once it is stale and a replacement takes its place (a cached newcomer that fails is
   * dropped from the cache at once).
   */
  List<Contact> failed(NodeId id) {
    int i = indexOf(id);
    if (i < 0) {
      Contact r = removeReplacement(id);
      return r == null ? List.of() : List.of(r);
    }
    Entry e = entries.get(i);
    e.failures++;
    if (e.failures < maxFailures || !hasAdmissibleReplacement(id)) {
      return List.of();
    }
    clearPing(id);
    return evict(id);
  }

  /** Contacts that failed {@code maxFailures} requests in a row and are kept for want of others. */
  void addStaleTo(List<Contact> out) {
    for (Entry e : entries) {
      if (e.failures >= maxFailures) out.add(e.contact);
    }
  }

  /** Contacts that are not stale. */
  int liveCount() {
    int n = 0;
    for (Entry e : entries) {
      if (e.failures < maxFailures) n++;
    }
    return n;
  }

  List<Contact> evict(NodeId id) {
    int i = indexOf(id);
    if (i < 0) return List.of();
    Contact gone = removeEntry(i).contact;
    promoteReplacement();
    return List.of(gone);
  }

  /** The newest cached newcomer within the diversity limits takes a free place. */
  private void promoteReplacement() {
    List<Contact> held = contacts();
    for (int j = replacements.size() - 1; j >= 0; j--) {
      if (diversity.admits(replacements.get(j), held)) {
        // When it was last heard from is not kept for replacements: it is not counted as fresh.
        addEntry(new Entry(replacements.remove(j), Instant.MIN));
        return;
      }
    }
  }

  /** Whether a cached newcomer could take {@code leaving}'s place within the diversity limits. */
  private boolean hasAdmissibleReplacement(NodeId leaving) {
    List<Contact> held = contacts();
    held.removeIf(c -> c.id().equals(leaving));
    for (Contact r : replacements) {
      if (diversity.admits(r, held)) return true;
    }
    return false;
  }

  private void addEntry(Entry e) {
    entries.add(e);
    diversity.added(e.contact);
  }

  private Entry removeEntry(int i) {
    Entry e = entries.remove(i);
    diversity.removed(e.contact);
    return e;
  }

  void touch(Instant now) {
    lastTouched = now;
  }

  Instant lastTouched() {
    return lastTouched;
  }

  boolean contains(NodeId id) {
    return indexOf(id) >= 0;
  }

  boolean inReplacementCache(NodeId id) {
    for (Contact r : replacements) {
      if (r.id().equals(id)) return true;
    }
    return false;
  }

  /** The contacts, least-recently seen first. */
  List<Contact> contacts() {
    List<Contact> out = new ArrayList<>(entries.size());
    for (Entry e : entries) out.add(e.contact);
    return out;
  }

  void addContactsTo(List<Contact> out) {
    for (Entry e : entries) out.add(e.contact);
  }

  /**
   * Views of the contacts, least-recently seen first, then of the replacement cache, oldest first;
   * {@code index} is this bucket's.
   */
  void addViewsTo(int index, List<ContactView> out) {
    for (Entry e : entries) {
      // Instant.MIN marks a promoted replacement, whose last contact was never recorded.
      Instant seen = e.lastSeen.equals(Instant.MIN) ? null : e.lastSeen;
      out.add(new ContactView(e.contact, index, seen, e.failures, e.failures >= maxFailures, false));
    }
    for (Contact r : replacements) {
      out.add(new ContactView(r, index, null, 0, false, true));
    }
  }

  void addLiveContactsTo(List<Contact> out) {
    for (Entry e : entries) {
      if (e.failures < maxFailures) out.add(e.contact);
    }
  }

  List<Contact> replacements() {
    return List.copyOf(replacements);
  }

  int size() {
    return entries.size();
  }

  int replacementCount() {
    return replacements.size();
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** {@code c} becomes the newest cached newcomer; a full cache drops its oldest. */
  private void cacheReplacement(Contact c) {
    removeReplacement(c.id());
    if (replacementCacheSize == 0) return;
    replacements.add(c);
    if (replacements.size() > replacementCacheSize) {
      replacements.remove(0);
    }
  }

  private Contact removeReplacement(NodeId id) {
    for (int i = 0; i < replacements.size(); i++) {
      if (replacements.get(i).id().equals(id)) return replacements.remove(i);
    }
    return null;
  }

  private boolean isFresh(Entry e, Instant now) {
    return !freshness.isZero() && e.lastSeen.plus(freshness).isAfter(now);
  }

  private void clearPing(NodeId id) {
    if (pinging != null && pinging.id().equals(id)) pinging = null;
  }

  private int indexOfStale() {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).failures >= maxFailures) return i;
    }
    return -1;
  }

  private int indexOf(NodeId id) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).contact.id().equals(id)) return i;
    }
    return -1;
  }

  /** A bucket's answer: the table's result, and a contact that left the table (or null). */
  record Change(UpdateResult result, Contact removed) {}

  private static final class Entry {
    final Contact contact;
    Instant lastSeen;
    int failures;

    Entry(Contact contact, Instant lastSeen) {
      this.contact = contact;
      this.lastSeen = lastSeen;
    }
  }
}
