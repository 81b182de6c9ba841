package io.kadmesh.core.lookup;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bookkeeping of one iterative lookup (paper §2.3), without I/O or time: the candidates by
 * distance to the target, which were asked, answered or failed, whom to ask next and whether the
 * lookup is over. Not thread-safe: {@link Lookup} guards it.
 *
 * <p>Only the k closest candidates not known to have failed are ever asked, α at a time while
 * answers bring closer nodes. Once α answers in a row brought none, the lookup has converged and
 * asks all of the k closest it has not asked yet at once (paper §2.3: "the initiator resends the
 * FIND_NODE to all of the k closest nodes it has not already queried"), instead of creeping
 * through them α at a time. The lookup is over when those k have all answered, or when no
 * candidate is left to ask or waited for. A request that is slow to answer can be marked stalled: it no longer holds one of
 * the α slots, so that unreachable contacts cannot stall the whole lookup, but its answer is
 * still taken if it comes before the RPC timeout.
 *
 * <p>Peers may lie, so an answer is bounded: it contributes at most k contacts, and none whose
 * address could not be dialled ({@link PeerAddress#isUsable}) or that is this node; an ID already
 * known keeps the first address heard for it. The candidates are at most
 * {@link #CANDIDATES_PER_K} times k: beyond, the farthest never asked are dropped (only the k
 * closest are ever asked, so they would not have been).
 *
 * <p>Each candidate remembers who introduced it. Contacts earn their place in honest tables, so
 * an honest answer names nodes that answered its sender lately; a lying peer can only name
 * addresses where nobody answers as those IDs, and by choosing IDs close to the target it would
 * have the lookup ask them first and wait out their timeouts. So a peer is distrusted once
 * {@link #DISTRUST_AFTER} times (answered + 1) of its introductions failed or stalled: those not
 * asked yet are dropped (another peer may name them again) and those still out are given up.
 * Only an introduction's first outcome counts, so a stall counts at once instead of after the
 * RPC timeout. The peer's own answer stands: an honest node whose closest contacts sit across a
 * partition looks the same for a while, and taking its answers back starved lookups there.
 * (S/Kademlia §4.4 asks along disjoint paths for the same reason; this is the cheaper half: stop
 * following a peer that only leads to the dead.)
 */
public final class LookupState {
  /** Where a candidate stands. */
  public enum Status { WAITING, IN_FLIGHT, STALLED, ANSWERED, FAILED }

  /** How many times k candidates a lookup keeps at most. */
  public static final int CANDIDATES_PER_K = 4;

  /**
   * How many of a peer's introductions may fail or stall, per one that answered plus one, before
   * it is distrusted. A forger's all fail; with 30 % of the nodes dead an honest peer's first five
   * are all dead about once in 400, and what it named may still be named by another peer.
   */
  public static final int DISTRUST_AFTER = 5;

  private final NodeId target;
  private final NodeId self;
  private final int k;
  private final int alpha;
  private final boolean widen;
  /** Keyed by XOR distance to the target: NodeId's unsigned order is distance order. */
  private final TreeMap<NodeId, Candidate> candidates = new TreeMap<>();
  private int inFlight;
  private int answersWithoutProgress;

  /** A lookup that widens to the rest of the k closest once converged (a node lookup). */
  public LookupState(NodeId target, NodeId self, int k, int alpha, Collection<Contact> seeds) {
    this(target, self, k, alpha, true, seeds);
  }

  /** {@code widen}: whether a converged lookup asks the rest of the k closest at once. */
  public LookupState(NodeId target, NodeId self, int k, int alpha, boolean widen,
      Collection<Contact> seeds) {
    this.target = target;
    this.self = self;
    this.k = k;
    this.alpha = alpha;
    this.widen = widen;
    addAll(seeds, null);
    dropFarthestBeyondBound();
  }

  /** Candidates to ask now; each is marked in flight. Empty when α are already out. */
  public List<Contact> next() {
    return next(Integer.MAX_VALUE);
  }

  /**
   * Candidates to ask now, as {@link #next()} but with at most {@code limit} requests in flight:
   * a value lookup that needs only that many more answers sends no more than that.
   */
  public List<Contact> next(int limit) {
    List<Contact> out = new ArrayList<>();
    int seen = 0;
    int parallelism = Math.min(limit, widen && answersWithoutProgress >= alpha ? k : alpha);
    for (Candidate c : candidates.values()) {
      if (inFlight >= parallelism || seen >= k) break;
      if (c.status == Status.FAILED) continue;
      seen++;
      if (c.status == Status.WAITING) {
        c.status = Status.IN_FLIGHT;
        inFlight++;
        out.add(c.contact);
      }
    }
    return out;
  }

  /** {@code from} answered with these contacts; answers false when it was not in flight. */
  public boolean answered(Contact from, Collection<Contact> learned) {
    return answered(from, learned, false);
  }

  /**
   * {@code from} answered with these contacts, and {@code holds}: with part of a set the lookup
   * gathers ({@link #closestHoldersKnown}); answers false when it was not in flight.
   */
  public boolean answered(Contact from, Collection<Contact> learned, boolean holds) {
    Candidate answering = settle(from, Status.ANSWERED);
    if (answering == null) return false;
    answering.holds = holds;
    judgeIntroducer(answering, true);
    NodeId closestBefore = candidates.firstKey();
    addAll(usable(learned), answering);
    dropFarthestBeyondBound();
    boolean closer = candidates.firstKey().compareTo(closestBefore) < 0;
    answersWithoutProgress = closer ? 0 : answersWithoutProgress + 1;
    return true;
  }

  /** The request to {@code from} failed or timed out; answers false when it was not in flight. */
  public boolean failed(Contact from) {
    Candidate failing = settle(from, Status.FAILED);
    if (failing == null) return false;
    judgeIntroducer(failing, false);
    return true;
  }

  /** Whether the peer with this ID was distrusted for what it introduced. */
  public boolean isDistrusted(NodeId id) {
    Candidate c = candidates.get(target.xor(id));
    return c != null && c.distrusted;
  }

  /** The request to {@code from} is slow: it frees its α slot; answers whether it was in flight. */
  public boolean stalled(Contact from) {
    Candidate c = candidates.get(target.xor(from.id()));
    if (c == null || c.status != Status.IN_FLIGHT) return false;
    c.status = Status.STALLED;
    inFlight--;
    judgeIntroducer(c, false);
    return true;
  }

  /** Over: the k closest non-failed candidates all answered, or nothing is left to ask or await. */
  public boolean isFinished() {
    int seen = 0;
    for (Candidate c : candidates.values()) {
      if (c.status == Status.FAILED) continue;
      if (c.status != Status.ANSWERED) return false;
      if (++seen >= k) return true;
    }
    return true;
  }

  /**
   * Whether the {@code n} closest candidates that answered holding part of the set are known: they
   * are among the k closest not known to have failed, and every candidate closer than the farthest
   * of them answered or stalled (none is waiting to be asked or in flight), so that no closer
   * replica the lookup knows of can still add to what they hold. True at once for n = 0.
   */
  public boolean closestHoldersKnown(int n) {
    int holders = 0;
    int seen = 0;
    for (Candidate c : candidates.values()) {
      if (holders >= n) return true;
      if (c.status == Status.FAILED) continue;
      if (seen++ >= k) return false;
      switch (c.status) {
        case WAITING, IN_FLIGHT -> {
          return false;
        }
        case ANSWERED -> {
          if (c.holds) holders++;
        }
        default -> { }
      }
    }
    return holders >= n;
  }

  /** Up to {@code n} candidates that answered, closest first. */
  public List<Contact> closestAnswered(int n) {
    List<Contact> out = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      if (out.size() >= n) break;
      if (c.status == Status.ANSWERED) out.add(c.contact);
    }
    return out;
  }

  /** The candidates asked and not settled yet (stalled ones included). */
  public List<Contact> inFlight() {
    List<Contact> out = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      if (c.status == Status.IN_FLIGHT || c.status == Status.STALLED) out.add(c.contact);
    }
    return out;
  }

  /** Every candidate a request was sent to, whatever came of it. */
  public List<Contact> asked() {
    List<Contact> out = new ArrayList<>();
    for (Candidate c : candidates.values()) {
      if (c.status != Status.WAITING) out.add(c.contact);
    }
    return out;
  }

  /** How many candidates the lookup holds. */
  public int size() {
    return candidates.size();
  }

  /** Where the candidate with this ID stands, or null for an unknown one. */
  public Status status(NodeId id) {
    Candidate c = candidates.get(target.xor(id));
    return c == null ? null : c.status;
  }

  public NodeId target() {
    return target;
  }

  /** The candidate {@code from}, now {@code to}; null when it was not in flight. */
  private Candidate settle(Contact from, Status to) {
    Candidate c = candidates.get(target.xor(from.id()));
    if (c == null || (c.status != Status.IN_FLIGHT && c.status != Status.STALLED)) return null;
    if (c.status == Status.IN_FLIGHT) inFlight--;
    c.status = to;
    return c;
  }

  /** The first k contacts of an answer that are neither this node nor at an unusable address. */
  private List<Contact> usable(Collection<Contact> learned) {
    List<Contact> out = new ArrayList<>(Math.min(k, learned.size()));
    for (Contact c : learned) {
      if (out.size() >= k) break;
      if (!c.id().equals(self) && PeerAddress.isUsable(c.address())) out.add(c);
    }
    return out;
  }

  /**
   * Keeps at most the bound of candidates still in play: failed ones do not count, or the dead a
   * liar named would crowd out live candidates.
   */
  private void dropFarthestBeyondBound() {
    int bound = CANDIDATES_PER_K * k;
    int inPlay = 0;
    for (Candidate c : candidates.values()) {
      if (c.status != Status.FAILED) inPlay++;
    }
    Iterator<Candidate> farthestFirst = candidates.descendingMap().values().iterator();
    while (inPlay > bound && farthestFirst.hasNext()) {
      if (farthestFirst.next().status == Status.WAITING) {
        farthestFirst.remove();
        inPlay--;
      }
    }
  }

  /**
   * Counts {@code c}'s first outcome for the peer that introduced it, and distrusts that peer once
   * its introductions mostly lead nowhere.
   */
  private void judgeIntroducer(Candidate c, boolean answered) {
    Candidate introducer = c.introducer;
    if (c.judged || introducer == null) return;
    c.judged = true;
    if (answered) {
      introducer.introducedAnswered++;
    } else if (++introducer.introducedFailed
        >= DISTRUST_AFTER * (introducer.introducedAnswered + 1)) {
      distrust(introducer);
    }
  }

  /**
   * Drops what {@code liar} introduced and was not asked yet, and gives up waiting on what it
   * introduced and is still out (else those would hold places among the k closest until their
   * timeouts). Its introductions that answered stay: that is a fact.
   */
  private void distrust(Candidate liar) {
    if (liar.distrusted) return;
    liar.distrusted = true;
    for (Iterator<Candidate> it = candidates.values().iterator(); it.hasNext(); ) {
      Candidate c = it.next();
      if (c.introducer != liar) continue;
      switch (c.status) {
        case WAITING -> it.remove();
        case IN_FLIGHT -> {
          inFlight--;
          c.status = Status.FAILED;
        }
        case STALLED -> c.status = Status.FAILED;
        default -> { }
      }
    }
  }

  private void addAll(Collection<Contact> contacts, Candidate introducer) {
    for (Contact c : contacts) {
      if (c.id().equals(self)) continue;
      // The first address heard for an ID is kept: a later claim cannot redirect a lookup.
      candidates.putIfAbsent(target.xor(c.id()), new Candidate(c, introducer));
    }
  }

  private static final class Candidate {
    final Contact contact;
    /** Who named it: null for the contacts the lookup started from (this node's own table). */
    final Candidate introducer;
    Status status = Status.WAITING;
    /** It answered holding part of the set the lookup gathers. */
    boolean holds;
    int introducedAnswered;
    int introducedFailed;
    boolean distrusted;
    /** Whether its first outcome was counted for its introducer. */
    boolean judged;

    Candidate(Contact contact, Candidate introducer) {
      this.contact = contact;
      this.introducer = introducer;
    }
  }
}
