package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.lookup.LookupObserver;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.routing.UpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Feeds the routing table what the node hears, and does the I/O the table asks for: when a full
 * bucket names its least-recently seen contact, pings it and reports the outcome (paper §2.2).
 *
 * <p>Contacts earn their place. A contact that answered this node's request is known to be at
 * that address ({@link #seen}); a request's sender only claims to be ({@link #claimed}), so before
 * it enters the table this node pings the claimed address and admits it only if the answer
 * carries the same ID (go-libp2p-kad-dht's lookupCheck). At most one check per ID runs at a time,
 * at most {@link #MAX_PENDING_CHECKS} at once (claims beyond are dropped: a flood of forged
 * senders costs a bounded number of pings). An ID/address whose check failed is not checked again
 * for a pause, nor any claim of an address that did not answer at all (else forged senders with
 * fresh IDs would have this node ping one victim address over and over). The pause starts at
 * {@link #FIRST_RECHECK} and doubles with each failure up to {@link #RECHECK_AFTER}: one check
 * lost to a busy peer (a node still starting, a loaded machine) must not keep an honest newcomer
 * out for long, while a victim address is still pinged at most once per {@link #RECHECK_AFTER}. An
 * address that answers this node clears its failures. A known ID that answers at a new address
 * takes it only once its old address stops answering: a claim never displaces a live contact.
 */
final class ContactLiveness implements LookupObserver {
  static final int MAX_PENDING_CHECKS = 64;
  static final Duration FIRST_RECHECK = Duration.ofSeconds(1);
  static final Duration RECHECK_AFTER = Duration.ofSeconds(30);
  private static final int MAX_FAILED_CHECKS = 4096;
  /**
   * How long a claim that passed its check is believed again without a ping: the freshness window
   * in which a full bucket also takes its head's liveness as known (BEP 5's "good" node).
   */
  static final Duration VERIFIED_FOR = Duration.ofMinutes(5);
  private static final int MAX_VERIFIED_CLAIMS = 4096;

  private final RoutingTable table;
  private final PeerTransport transport;
  private final Scheduler scheduler;
  private final Duration rpcTimeout;
  private final Consumer<Contact> onAdded;
  private final Consumer<Contact> onFailed;
  /** The IDs being checked now (a claim, or a known contact's old address). */
  private final Set<NodeId> checking = ConcurrentHashMap.newKeySet();
  /**
   * What failed a check, with until when it is not checked again, oldest first: a claim (a
   * Contact) answered by another ID, or an address (a String) that did not answer. Guarded by
   * itself.
   */
  private final Map<Object, FailedCheck> failedChecks = oldestFirst(MAX_FAILED_CHECKS);

  /**
   * Claims (ID at address) that passed a check, with when, oldest first. Guarded by itself. Where a
   * bucket has more candidates than k plus its cache (the far buckets of a mesh of a hundred), a
   * checked sender is soon dropped from the cache again, and without this each of its requests
   * cost another ping, whose answer cached it again and pushed out the next: a ping per request.
   */
  private final Map<Contact, Instant> verifiedClaims = oldestFirst(MAX_VERIFIED_CLAIMS);

  /** A map in insertion order that drops its oldest entry beyond {@code max}: bounded memory. */
  private static <K, V> Map<K, V> oldestFirst(int max) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  ContactLiveness(RoutingTable table, PeerTransport transport, Scheduler scheduler,
      Duration rpcTimeout, Consumer<Contact> onAdded, Consumer<Contact> onFailed) {
    this.table = table;
    this.transport = transport;
    this.scheduler = scheduler;
    this.rpcTimeout = rpcTimeout;
    this.onAdded = onAdded;
    this.onFailed = onFailed;
  }

  /** {@code contact} answered this node at its address with its ID. */
  void seen(Contact contact) {
    clearFailures(contact);
    apply(contact, table.seen(contact, scheduler.now()));
  }

  /** {@code c} answered at its address: neither it nor the address waits out a failed check. */
  private void clearFailures(Contact c) {
    synchronized (failedChecks) {
      failedChecks.remove(c.address());
      failedChecks.remove(c);
    }
  }

  /**
   * A request named {@code contact} as its sender. {@code ping}: the request was a PING, so the
   * contact, once checked, never causes a ping of a full bucket's head (see
   * {@link RoutingTable#seenPing}).
   */
  void claimed(Contact contact, boolean ping) {
    Instant now = scheduler.now();
    UpdateResult r = table.claimed(contact, now);
    if (r.outcome() != UpdateResult.Outcome.UNVERIFIED) return;
    if (verifiedRecently(contact, now)) {
      // This very ID answered at this very address within the window: as good as a held contact.
      apply(contact, ping ? table.seenPing(contact, now) : table.seen(contact, now));
      forgetUnlessHeld(contact);
      return;
    }
    check(contact, ping);
  }

  private boolean verifiedRecently(Contact claim, Instant now) {
    synchronized (verifiedClaims) {
      Instant verified = verifiedClaims.get(claim);
      return verified != null && verified.plus(VERIFIED_FOR).isAfter(now);
    }
  }

  /**
   * A ping to {@code address} was answered by {@code answer}: the node is known to be at the
   * address this node reached, whatever address the answer claims for itself.
   */
  void reached(String address, Contact answer) {
    seen(answer.address().equals(address) ? answer : new Contact(answer.id(), address));
  }

  @Override
  public void answered(Contact contact) {
    seen(contact);
  }

  @Override
  public void failed(Contact contact) {
    table.failed(contact);
    onFailed.accept(contact);
  }

  /** A lookup is over: channels to the contacts it asked that the table does not hold are closed. */
  @Override
  public void finished(Collection<Contact> asked) {
    for (Contact c : asked) {
      forgetUnlessHeld(c);
    }
  }

  private void apply(Contact contact, UpdateResult r) {
    switch (r.outcome()) {
      case ADDED -> onAdded.accept(contact);
      case CACHED -> {
        if (r.toPing() != null) pingLeastRecentlySeen(r.toPing());
      }
      case ADDRESS_CLAIMED -> checkOldAddress(r.toPing(), contact);
      default -> { }
    }
  }

  /** Pings the claimed address; the contact is admitted only if the same ID answers there. */
  private void check(Contact claim, boolean ping) {
    if (!startCheck(claim)) return;
    Timeouts.within(transport.ping(claim.address()), rpcTimeout, scheduler, "ping")
        .whenComplete((answer, e) -> {
          checking.remove(claim.id());
          Instant now = scheduler.now();
          if (e == null && answer != null && answer.id().equals(claim.id())) {
            clearFailures(claim);
            synchronized (verifiedClaims) {
              verifiedClaims.remove(claim);
              verifiedClaims.put(claim, now);
            }
            apply(claim, ping ? table.seenPing(claim, now) : table.seen(claim, now));
            forgetUnlessHeld(claim);
          } else {
            Object failed = e == null && answer != null ? claim : claim.address();
            synchronized (failedChecks) {
              FailedCheck before = failedChecks.remove(failed);
              failedChecks.put(failed, FailedCheck.after(before, now));
            }
            transport.forget(claim.address());
          }
        });
  }

  private boolean startCheck(Contact claim) {
    Instant now = scheduler.now();
    synchronized (failedChecks) {
      if (failedRecently(claim, now) || failedRecently(claim.address(), now)) return false;
    }
    // Not atomic with the add, so the bound may be passed by a few under contention: harmless.
    if (checking.size() >= MAX_PENDING_CHECKS) return false;
    return checking.add(claim.id());
  }

  private boolean failedRecently(Object what, Instant now) {
    FailedCheck failed = failedChecks.get(what);
    return failed != null && failed.until().isAfter(now);
  }

  /** Until when a claim is not checked again, and the pause the next failure doubles. */
  private record FailedCheck(Instant until, Duration pause) {
    static FailedCheck after(FailedCheck before, Instant now) {
      Duration pause = before == null ? FIRST_RECHECK : before.pause.multipliedBy(2);
      if (pause.compareTo(RECHECK_AFTER) > 0) pause = RECHECK_AFTER;
      return new FailedCheck(now.plus(pause), pause);
    }
  }

  /**
   * {@code moved} answered with {@code held}'s ID at another address: the old address is pinged,
   * and only if it no longer answers as that ID does the table take the new one.
   */
  private void checkOldAddress(Contact held, Contact moved) {
    if (checking.size() >= MAX_PENDING_CHECKS || !checking.add(held.id())) return;
    Timeouts.within(transport.ping(held.address()), rpcTimeout, scheduler, "ping")
        .whenComplete((answer, e) -> {
          checking.remove(held.id());
          if (e == null && answer != null && answer.id().equals(held.id())) {
            table.pingAnswered(held, scheduler.now());
            transport.forget(moved.address());
          } else {
            table.moved(held, moved, scheduler.now());
          }
        });
  }

  /** A channel opened to a contact the table does not hold (at that address) is released. */
  private void forgetUnlessHeld(Contact c) {
    if (!c.equals(table.find(c.id()))) {
      transport.forget(c.address());
    }
  }

  private void pingLeastRecentlySeen(Contact lrs) {
    Timeouts.within(transport.ping(lrs.address()), rpcTimeout, scheduler, "ping")
        .whenComplete((answer, e) -> {
          // Another ID at that address means the old node is gone: as good as no answer.
          if (e == null && answer != null && answer.id().equals(lrs.id())) {
            table.pingAnswered(lrs, scheduler.now());
          } else {
            table.pingFailed(lrs);
            onFailed.accept(lrs);
          }
        });
  }
}
