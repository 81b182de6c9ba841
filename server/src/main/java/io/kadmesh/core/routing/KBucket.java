package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>Implementation notes: a simulated network holds a million tables of a few hundred contacts
 * each, so the entries are parallel arrays (the shared {@link Contact}, when it was last seen,
 * its failures in a row) grown on demand up to k, and the replacement cache is allocated with the
 * first newcomer it keeps. Moving a contact to the tail shifts at most k slots.
 */
final class KBucket {
  private static final Contact[] NO_CONTACTS = new Contact[0];
  private static final Instant[] NO_INSTANTS = new Instant[0];
  private static final int[] NO_INTS = new int[0];
  /** The first allocation: most buckets of a large table fill up, the deepest hold a few. */
  private static final int FIRST_CAPACITY = 4;

  private final BucketRules rules;
  /** This bucket's index in its table, under which the diversity limits count its contacts. */
  private final int index;
  /** Least-recently seen first: slot 0 is the one to ping when a newcomer knocks. */
  private Contact[] contacts = NO_CONTACTS;
  /** When each contact last answered; {@link Instant#MIN} for a promoted replacement. */
  private Instant[] lastSeen = NO_INSTANTS;
  private int[] failures = NO_INTS;
  private int size;
  /** Newest last: on eviction the most recently seen newcomer is promoted. Null until used. */
  private Contact[] replacements;
  private int replacementCount;
  private Instant lastTouched;
  /** The least-recently seen contact the caller is pinging, so that it is asked only once. */
  private Contact pinging;

  KBucket(BucketRules rules, int index, Instant now) {
    this.rules = rules;
    this.index = index;
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
      Contact held = contacts[i];
      if (!held.address().equals(c.address())) {
        return new Change(UpdateResult.addressClaimed(held), null);
      }
      removeEntry(i);
      addEntry(c, now, 0);
      return new Change(UpdateResult.UPDATED, null);
    }
    if (!admits(c, null)) {
      removeReplacement(c.id());
      return new Change(UpdateResult.REFUSED, null);
    }
    if (size < rules.k()) {
      removeReplacement(c.id());
      addEntry(c, now, 0);
      return new Change(UpdateResult.ADDED, null);
    }
    int stale = indexOfStale();
    if (stale >= 0) {
      // §4.1: a stale contact gives way to the first newcomer once one exists.
      removeReplacement(c.id());
      Contact gone = contacts[stale];
      removeEntry(stale);
      clearPing(gone.id());
      addEntry(c, now, 0);
      return new Change(UpdateResult.ADDED, gone);
    }
    // A full cache drops its oldest newcomer, which is not reported as removed: it failed nothing,
    // it was only never in the table. Reported, it would be probed as lost, and its answer would
    // cache it again and push out the next oldest: a ping every second per node, for as long as
    // a bucket has more candidates than k plus the cache (the far bucket at 100 nodes).
    cacheReplacement(c);
    if (!mayPing || pinging != null || isFresh(0, now)) {
      // A ping of the head is already under way, or the head was heard from so recently that
      // it is known to be alive (BEP 5's "good" node): a ping would only tell what is known.
      // Without this, every newcomer knocking at a full bucket costs a ping, and the pinged node,
      // not knowing the pinger, pings its own head in turn: a chain of pings per message.
      return new Change(UpdateResult.cached(null), null);
    }
    pinging = contacts[0];
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
      if (!contacts[i].address().equals(c.address()) || failures[i] >= rules.maxFailures()) {
        return UpdateResult.UNVERIFIED;
      }
      Contact held = contacts[i];
      int failed = failures[i];
      removeEntry(i);
      addEntry(held, now, failed);
      return UpdateResult.UPDATED;
    }
    // A newcomer already cached at that address answered a check once: it moves to the cache's
    // newest end, as a verified contact would, instead of costing a ping per request it sends.
    if (replacementIndexOf(c) >= 0) {
      cacheReplacement(c);
      return UpdateResult.UPDATED;
    }
    return admits(c, null) ? UpdateResult.UNVERIFIED : UpdateResult.REFUSED;
  }

  /**
   * {@code old} no longer answers at its address while {@code c} answered with its ID at another:
   * the new address is adopted (within the diversity limits; beyond them the contact leaves).
   * Answers the contacts that left the bucket; nothing when the bucket no longer holds {@code old}.
   */
  List<Contact> moved(Contact old, Contact c, Instant now) {
    int i = indexOf(old.id());
    if (i < 0 || !contacts[i].equals(old)) return List.of();
    clearPing(old.id());
    removeEntry(i);
    if (admits(c, null)) {
      removeReplacement(c.id());
      addEntry(c, now, 0);
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
      Contact held = contacts[i];
      removeEntry(i);
      addEntry(held, now, 0);
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
    failures[i]++;
    if (failures[i] < rules.maxFailures() || !hasAdmissibleReplacement(id)) {
      return List.of();
    }
    clearPing(id);
    return evict(id);
  }

  /** Contacts that failed {@code maxFailures} requests in a row and are kept for want of others. */
  void addStaleTo(List<Contact> out) {
    for (int i = 0; i < size; i++) {
      if (failures[i] >= rules.maxFailures()) out.add(contacts[i]);
    }
  }

  /** Contacts that are not stale. */
  int liveCount() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (failures[i] < rules.maxFailures()) n++;
    }
    return n;
  }

  List<Contact> evict(NodeId id) {
    int i = indexOf(id);
    if (i < 0) return List.of();
    Contact gone = contacts[i];
    removeEntry(i);
    promoteReplacement();
    return List.of(gone);
  }

  /** The newest cached newcomer within the diversity limits takes a free place. */
  private void promoteReplacement() {
    for (int j = replacementCount - 1; j >= 0; j--) {
      Contact r = replacements[j];
      if (admits(r, null)) {
        removeReplacementAt(j);
        // When it was last heard from is not kept for replacements: it is not counted as fresh.
        addEntry(r, Instant.MIN, 0);
        return;
      }
    }
  }

  /** Whether a cached newcomer could take {@code leaving}'s place within the diversity limits. */
  private boolean hasAdmissibleReplacement(NodeId leaving) {
    for (int j = 0; j < replacementCount; j++) {
      if (admits(replacements[j], leaving)) return true;
    }
    return false;
  }

  /** Whether {@code c} may join within the diversity limits, {@code without} counted as gone. */
  private boolean admits(Contact c, NodeId without) {
    Contact leaving = without == null ? null : find(without);
    Contact sameId = find(c.id());
    if (sameId == leaving) sameId = null;
    return rules.diversity().admits(c, index, sameId, leaving);
  }

  private void addEntry(Contact c, Instant seen, int failed) {
    if (size == contacts.length) grow();
    contacts[size] = c;
    lastSeen[size] = seen;
    failures[size] = failed;
    size++;
    rules.diversity().added(c, index);
  }

  private void removeEntry(int i) {
    Contact gone = contacts[i];
    int after = size - i - 1;
    System.arraycopy(contacts, i + 1, contacts, i, after);
    System.arraycopy(lastSeen, i + 1, lastSeen, i, after);
    System.arraycopy(failures, i + 1, failures, i, after);
    size--;
    contacts[size] = null;
    lastSeen[size] = null;
    rules.diversity().removed(gone, index);
  }

  private void grow() {
    int capacity = Math.min(rules.k(), Math.max(FIRST_CAPACITY, contacts.length * 2));
    contacts = Arrays.copyOf(contacts, capacity);
    lastSeen = Arrays.copyOf(lastSeen, capacity);
    failures = Arrays.copyOf(failures, capacity);
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
    return replacementIndexOf(id) >= 0;
  }

  /** The contact held for {@code id}, or null. */
  Contact find(NodeId id) {
    int i = indexOf(id);
    return i < 0 ? null : contacts[i];
  }

  /** The contacts, least-recently seen first. */
  List<Contact> contacts() {
    return new ArrayList<>(Arrays.asList(contacts).subList(0, size));
  }

  void addContactsTo(List<Contact> out) {
    for (int i = 0; i < size; i++) out.add(contacts[i]);
  }

  /**
   * Views of the contacts, least-recently seen first, then of the replacement cache, oldest first;
   * {@code index} is this bucket's.
   */
  void addViewsTo(int index, List<ContactView> out) {
    for (int i = 0; i < size; i++) {
      // Instant.MIN marks a promoted replacement, whose last contact was never recorded.
      Instant seen = lastSeen[i].equals(Instant.MIN) ? null : lastSeen[i];
      out.add(new ContactView(contacts[i], index, seen, failures[i],
          failures[i] >= rules.maxFailures(), false));
    }
    for (int j = 0; j < replacementCount; j++) {
      out.add(new ContactView(replacements[j], index, null, 0, false, true));
    }
  }

  void addLiveContactsTo(List<Contact> out) {
    for (int i = 0; i < size; i++) {
      if (failures[i] < rules.maxFailures()) out.add(contacts[i]);
    }
  }

  List<Contact> replacements() {
    return replacementCount == 0 ? List.of()
        : List.of(Arrays.copyOf(replacements, replacementCount));
  }

  int size() {
    return size;
  }

  int replacementCount() {
    return replacementCount;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** {@code c} becomes the newest cached newcomer; a full cache drops its oldest. */
  private void cacheReplacement(Contact c) {
    removeReplacement(c.id());
    int capacity = rules.replacementCacheSize();
    if (capacity == 0) return;
    if (replacements == null) replacements = new Contact[Math.min(capacity, FIRST_CAPACITY)];
    if (replacementCount == capacity) {
      removeReplacementAt(0);
    } else if (replacementCount == replacements.length) {
      replacements = Arrays.copyOf(replacements, Math.min(capacity, replacements.length * 2));
    }
    replacements[replacementCount++] = c;
  }

  private Contact removeReplacement(NodeId id) {
    int i = replacementIndexOf(id);
    if (i < 0) return null;
    Contact r = replacements[i];
    removeReplacementAt(i);
    return r;
  }

  private void removeReplacementAt(int i) {
    System.arraycopy(replacements, i + 1, replacements, i, replacementCount - i - 1);
    replacements[--replacementCount] = null;
  }

  private int replacementIndexOf(NodeId id) {
    for (int i = 0; i < replacementCount; i++) {
      if (replacements[i].id().equals(id)) return i;
    }
    return -1;
  }

  /** The cached newcomer equal to {@code c} (same ID and address), or -1. */
  private int replacementIndexOf(Contact c) {
    for (int i = 0; i < replacementCount; i++) {
      if (replacements[i].equals(c)) return i;
    }
    return -1;
  }

  private boolean isFresh(int i, Instant now) {
    return !rules.freshness().isZero() && lastSeen[i].plus(rules.freshness()).isAfter(now);
  }

  private void clearPing(NodeId id) {
    if (pinging != null && pinging.id().equals(id)) pinging = null;
  }

  private int indexOfStale() {
    for (int i = 0; i < size; i++) {
      if (failures[i] >= rules.maxFailures()) return i;
    }
    return -1;
  }

  private int indexOf(NodeId id) {
    for (int i = 0; i < size; i++) {
      if (contacts[i].id().equals(id)) return i;
    }
    return -1;
  }

  /** A bucket's answer: the table's result, and a contact that left the table (or null). */
  record Change(UpdateResult result, Contact removed) {}
}
