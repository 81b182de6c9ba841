package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.ContactStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node part of its network, for as long as it runs: joins through its bootstrap addresses
 * and the contacts it saved (paper §2.3), and whenever it knows no live contact, or has lost
 * contacts to failures, probes them again at capped backoff, so that a node that restarted alone,
 * or a network split in two, finds itself again once the peers answer.
 *
 * <p>What it probes: stale contacts the routing table keeps for want of replacements (§4.1);
 * contacts the table dropped after failures, kept aside for {@link #LOST_RETENTION} (at most
 * {@link #MAX_LOST}); and, while there is any of those or no live contact at all, the bootstrap
 * addresses and saved contacts. Each address has its own backoff, from one second doubling up to
 * {@link NodeConfig#maxRejoinBackoff()}; an answer resets it. A node that reaches a peer after
 * knowing none runs the whole join again (lookup of its own ID, refresh of the farther buckets).
 *
 * <p>A node is <em>alone on purpose</em> when it was given no bootstrap address, in this run or a
 * saved one, and saved no contact: it serves by itself. Any other node serves only while it knows a
 * live contact; otherwise it is cut off, and says so (health NOT_SERVING, Gets it cannot answer
 * itself fail UNAVAILABLE, writes miss their quorum).
 */
final class Membership {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
  static final Duration LOST_RETENTION = Duration.ofHours(1);
  static final int MAX_LOST = 256;

  /** Runs the whole join through these addresses; completes when done, whatever answered. */
  interface Joiner extends Function<List<String>, CompletableFuture<Void>> {}

  private final NodeConfig config;
  private final Contact self;
  private final RoutingTable table;
  private final PeerTransport transport;
  private final ContactStore store;
  private final Scheduler scheduler;
  private final ContactLiveness liveness;
  private final SeedPings seedPings;
  private final Joiner joiner;
  private final Runnable statusChanged;

  /** The addresses to fall back on: bootstrap, then saved contacts. Fixed at start. */
  private List<String> seeds = List.of();
  /** Contacts the table dropped, by address, with when they were lost. */
  private final Map<String, Instant> lost = new LinkedHashMap<>();
  private final Map<String, Probe> probes = new LinkedHashMap<>();
  private boolean started;
  private boolean stopped;
  private boolean alone;
  private boolean lastServing;
  private boolean firstStatus = true;
  private Scheduler.Cancellable nextRound;
  private boolean roundInFlight;

  Membership(NodeConfig config, Contact self, RoutingTable table, PeerTransport transport,
      ContactStore store, Scheduler scheduler, ContactLiveness liveness, SeedPings seedPings,
      Joiner joiner, Runnable statusChanged) {
    this.config = config;
    this.self = self;
    this.table = table;
    this.transport = transport;
    this.store = store;
    this.scheduler = scheduler;
    this.liveness = liveness;
    this.seedPings = seedPings;
    this.joiner = joiner;
    this.statusChanged = statusChanged;
  }

  /**
   * Starts: keeps {@code bootstrap} for later runs (or, when empty, uses the addresses a former
   * run kept), joins through them and the saved contacts, and keeps watch from then on. Completes
   * when the first join is done, whether or not anyone answered.
   */
  CompletableFuture<Void> start(List<String> bootstrap) {
    List<String> given = bootstrap;
    List<Contact> saved = List.of();
    try {
      if (given.isEmpty()) {
        given = store.bootstrapAddresses();
      } else if (!given.equals(store.bootstrapAddresses())) {
        store.saveBootstrapAddresses(given);
      }
      saved = store.contacts();
    } catch (IOException e) {
      log.warn("could not read or save the node's contacts and bootstrap addresses: {}", e.toString());
    }
    Set<String> addresses = new LinkedHashSet<>(given);
    for (Contact c : saved) {
      if (!c.id().equals(self.id()) && !c.address().equals(self.address())) {
        addresses.add(c.address());
      }
    }
    addresses.remove(self.address());
    synchronized (this) {
      started = true;
      seeds = List.copyOf(addresses);
      alone = seeds.isEmpty();
    }
    if (!saved.isEmpty()) {
      log.info("joining through {} saved contacts as well as {} bootstrap addresses",
          saved.size(), given.size());
    }
    if (seeds.isEmpty()) {
      refreshStatus();
      return CompletableFuture.completedFuture(null);
    }
    return joiner.apply(seeds).handle((v, e) -> {
      if (table.liveSize() == 0) {
        log.warn("no peer of {} answered; cut off: retrying with backoff up to {}", seeds,
            config.maxRejoinBackoff());
      }
      refreshStatus();
      wake();
      return null;
    });
  }

  /** Stops probing. */
  synchronized void stop() {
    stopped = true;
    if (nextRound != null) nextRound.cancel();
    nextRound = null;
  }

  /** Alone on purpose, or knows a live contact. */
  boolean isServing() {
    boolean inCharge;
    synchronized (this) {
      inCharge = started && !alone;
    }
    return !inCharge || table.liveSize() > 0;
  }

  /** Whether {@link #start} ran: a node joined by hand (tests, the simulator) is not watched. */
  synchronized boolean isStarted() {
    return started;
  }

  /** Part of a network, but knows no live contact. */
  boolean isCutOff() {
    return !isServing();
  }

  /** Whether this node was started alone on purpose (see the class comment). */
  synchronized boolean isAlone() {
    return alone;
  }

  /** A contact entered the table: it is no longer lost. */
  void contactAdded(Contact c) {
    synchronized (this) {
      lost.remove(c.address());
      probes.remove(c.address());
    }
    refreshStatus();
  }

  /** A contact left the table (failures, a failed ping): kept aside to be probed again. */
  void contactRemoved(Contact c) {
    synchronized (this) {
      if (!started || c.address().equals(self.address())) return;
      lost.remove(c.address());
      lost.put(c.address(), scheduler.now());
      if (lost.size() > MAX_LOST) {
        String oldest = lost.keySet().iterator().next();
        lost.remove(oldest);
        probes.remove(oldest);
      }
    }
    refreshStatus();
    wake();
  }

  /** A request to a contact failed: it may have gone stale. */
  void contactFailed() {
    refreshStatus();
    wake();
  }

  /** Schedules a round of probes unless one is pending or there is nothing to probe. */
  private void wake() {
    synchronized (this) {
      if (!started || stopped || nextRound != null || roundInFlight) return;
      Duration delay = untilNextProbe();
      if (delay == null) return;
      nextRound = scheduler.schedule(delay, this::round);
    }
  }

  /** How long until the earliest probe is due, or null when there is nothing to probe. */
  private Duration untilNextProbe() {
    List<String> targets = candidates();
    if (targets.isEmpty()) return null;
    Instant now = scheduler.now();
    Instant earliest = null;
    for (String address : targets) {
      Probe p = probes.get(address);
      Instant due = p == null ? now.plus(FIRST_BACKOFF) : p.due;
      if (earliest == null || due.isBefore(earliest)) earliest = due;
    }
    Duration d = Duration.between(now, earliest);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Every address worth probing now, due or not. Caller holds the lock. */
  private List<String> candidates() {
    Instant now = scheduler.now();
    for (Iterator<Map.Entry<String, Instant>> it = lost.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Instant> e = it.next();
      if (e.getValue().plus(LOST_RETENTION).isBefore(now)) {
        it.remove();
        probes.remove(e.getKey());
      }
    }
    Set<String> out = new LinkedHashSet<>();
    for (Contact c : table.staleContacts()) out.add(c.address());
    out.addAll(lost.keySet());
    if (!out.isEmpty() || (!alone && table.liveSize() == 0)) {
      out.addAll(seeds);
    }
    Set<String> live = new LinkedHashSet<>();
    for (Contact c : table.contacts()) live.add(c.address());
    live.removeAll(addressesOf(table.staleContacts()));
    out.removeAll(live);
    out.remove(self.address());
    return new ArrayList<>(out);
  }

  private void round() {
    List<String> due = new ArrayList<>();
    boolean wasCutOff;
    synchronized (this) {
      nextRound = null;
      if (stopped) return;
      Instant now = scheduler.now();
      for (String address : candidates()) {
        Probe p = probes.computeIfAbsent(address, a -> new Probe(now));
        if (!p.due.isAfter(now)) due.add(address);
      }
      if (due.isEmpty()) {
        wakeLater();
        return;
      }
      roundInFlight = true;
      wasCutOff = table.liveSize() == 0;
    }
    List<CompletableFuture<Boolean>> pings = new ArrayList<>();
    for (String address : due) {
      // A seed that is a name is resolved again each time: it answers if any node behind it does.
      pings.add(seedPings.ping(address).handle((reached, e) -> {
        boolean answered = e == null && !reached.answered().isEmpty();
        if (e == null) {
          reached.answered().forEach(liveness::reached);
          for (String silent : reached.silent()) {
            if (!silent.equals(address)) transport.forget(silent);
          }
        }
        settle(address, answered);
        return answered;
      }));
    }
    CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
      int answered = 0;
      for (CompletableFuture<Boolean> p : pings) {
        if (p.join()) answered++;
      }
      CompletableFuture<Void> rejoin = CompletableFuture.completedFuture(null);
      if (answered > 0 && wasCutOff) {
        log.info("reached {} peers again after being cut off: joining", answered);
        rejoin = joiner.apply(List.of()).exceptionally(x -> null);
      }
      rejoin.whenComplete((x, y) -> {
        synchronized (this) {
          roundInFlight = false;
        }
        refreshStatus();
        wake();
      });
    });
  }

  private void wakeLater() {
    Duration delay = untilNextProbe();
    if (delay != null && !stopped) {
      nextRound = scheduler.schedule(delay.isZero() ? FIRST_BACKOFF : delay, this::round);
    }
  }

  private synchronized void settle(String address, boolean answered) {
    if (answered) {
      probes.remove(address);
      lost.remove(address);
      return;
    }
    Probe p = probes.get(address);
    if (p != null) p.failed(scheduler.now(), config.maxRejoinBackoff());
    // A fresh connection next time: a channel left in its reconnect backoff would fail the next
    // probe at once even after the peer is reachable again.
    transport.forget(address);
  }

  private void refreshStatus() {
    boolean serving = isServing();
    boolean changed;
    synchronized (this) {
      if (!started) return;
      changed = serving != lastServing || firstStatus;
      firstStatus = false;
      lastServing = serving;
    }
    if (changed) statusChanged.run();
  }

  private static Set<String> addressesOf(List<Contact> contacts) {
    Set<String> out = new LinkedHashSet<>();
    for (Contact c : contacts) out.add(c.address());
    return out;
  }

  /** When an address is next due, and the pause that doubles after each failed probe. */
  private static final class Probe {
    Instant due;
    Duration backoff = FIRST_BACKOFF;

    Probe(Instant now) {
      this.due = now;
    }

    void failed(Instant now, Duration cap) {
      due = now.plus(backoff);
      Duration next = backoff.multipliedBy(2);
      backoff = next.compareTo(cap) > 0 ? cap : next;
    }
  }
}
