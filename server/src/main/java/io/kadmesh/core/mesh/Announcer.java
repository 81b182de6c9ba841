package io.kadmesh.core.mesh;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.Scheduler;
import io.kadmesh.records.EndpointEntry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's announcements published: publishes each on announce, re-announces it at half
 * its TTL with a new seq and expiry, publishes its withdrawal on {@link #withdraw} (and forgets it)
 * or, for all of them, on {@link #withdrawAll} at shutdown (and keeps them saved, so that a restart
 * announces them again). With a health check, an endpoint is published only while its probe answers
 * SERVING, withdrawn when it does not, and published again when it does.
 *
 * <p>Seqs grow across every entry and every restart: each is max(last + 1, now in milliseconds),
 * and the saved high-water mark is reserved {@link #SEQ_RESERVE_MS} ahead, so that the file is
 * written at most once per that span and a restarted node starts above every seq it gave out.
 *
 * <p>A failed publication is logged and tried again after {@link #retryDelay}; nothing is thrown
 * into the scheduler. Thread-safe; publications and probes run outside its lock.
 */
public final class Announcer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Announcer.class);

  /** The most announcements one node keeps. */
  public static final int MAX_ANNOUNCEMENTS = 256;
  /** How long a health check may take before it counts as failed. */
  public static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(1);
  /** How far ahead of the last seq given out the saved high-water mark is set. */
  static final long SEQ_RESERVE_MS = 10_000;

  private final byte[] announcerId;
  private final Scheduler scheduler;
  private final EndpointPublisher publisher;
  private final AnnouncementStore store;
  private final HealthProbe probe;
  private final AnnouncementRules rules;
  /** Held while saving, so that saves land in the order their snapshots were taken. */
  private final Object saveLock = new Object();

  // Guarded by this.
  private final Map<Announcement.Key, Slot> slots = new LinkedHashMap<>();
  private long lastSeq;
  private long reservedSeq;
  private boolean started;
  private boolean stopping;

  public Announcer(NodeId self, Scheduler scheduler, EndpointPublisher publisher,
      AnnouncementStore store, HealthProbe probe, AnnouncementRules rules) {
    this.announcerId = self.toBytes();
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.publisher = Objects.requireNonNull(publisher, "publisher");
    this.store = Objects.requireNonNull(store, "store");
    this.probe = Objects.requireNonNull(probe, "probe");
    this.rules = Objects.requireNonNull(rules, "rules");
  }

  /** The limits and defaults announcements are held to. */
  public AnnouncementRules rules() {
    return rules;
  }

  /**
   * Reads what a former run saved: its announcements (those that no longer keep the limits are
   * skipped, with a warning) and its seq high-water mark. Call before {@link #start} and before the
   * first {@link #announce}, whose save would otherwise replace what was saved.
   */
  public synchronized void restore() throws IOException {
    AnnouncementStore.Saved saved = store.load();
    lastSeq = Math.max(lastSeq, saved.seqHighWater());
    reservedSeq = Math.max(reservedSeq, saved.seqHighWater());
    for (Announcement a : saved.announcements()) {
      try {
        rules.check(a);
      } catch (DhtException e) {
        log.warn("not announcing the saved endpoint {} of {} again: {}", a.endpoint(), a.service(),
            e.getMessage());
        continue;
      }
      if (!slots.containsKey(a.key()) && slots.size() < MAX_ANNOUNCEMENTS) {
        // Whether a former run left it published is unknown: a failing health check withdraws it.
        slots.put(a.key(), new Slot(a, entryOf(a), null, false));
      }
    }
    if (!slots.isEmpty()) {
      log.info("{} saved announcements to publish again", slots.size());
    }
  }

  /** Publishes every restored announcement and keeps it alive from now on. Idempotent. */
  public void start() {
    List<Slot> restored = new ArrayList<>();
    synchronized (this) {
      if (started || stopping) {
        return;
      }
      started = true;
      for (Slot slot : slots.values()) {
        if (!slot.begun) {
          slot.begun = true;
          restored.add(slot);
        }
      }
    }
    for (Slot slot : restored) {
      begin(slot);
    }
  }

  /**
   * Announces {@code a}, replacing this node's announcement of the same service and endpoint, and
   * saves it. Completes with the first publication ({@link Publication#NOT_PUBLISHED} when a health
   * check has not answered SERVING); when that publication fails, fails with its error, and keeps
   * the announcement, which is published again after {@link #retryDelay}. Throws {@link
   * DhtException}: INVALID_ARGUMENT for an announcement that breaks a limit, RESOURCE_EXHAUSTED
   * when {@link #MAX_ANNOUNCEMENTS} are kept already, UNAVAILABLE once the node is shutting down.
   */
  public CompletableFuture<Publication> announce(Announcement a) {
    rules.check(a);
    EndpointEntry entry = entryOf(a);
    Slot slot;
    String unchecked = null;
    synchronized (this) {
      refuseWhenStopping();
      Slot old = slots.get(a.key());
      if (old == null && slots.size() >= MAX_ANNOUNCEMENTS) {
        throw DhtException.exhausted("this node already keeps " + MAX_ANNOUNCEMENTS
            + " announcements, its limit; withdraw one first");
      }
      boolean nothingLive = old == null || (Boolean.FALSE.equals(old.live) && old.confirmed);
      slot = new Slot(a, entry, nothingLive ? Boolean.FALSE : null, nothingLive);
      slot.begun = true;
      slots.put(a.key(), slot);
      if (old != null) {
        old.retire();
        unchecked = noLongerChecked(old);
      }
    }
    release(unchecked);
    persist();
    Duration retry = retryDelay(a.ttl());
    return begin(slot).exceptionallyCompose(e -> CompletableFuture.failedFuture(
        annotated(e, " (the node keeps the announcement and publishes it again within "
            + retry.toSeconds() + "s)")));
  }

  /**
   * Stops announcing an endpoint, forgets it, and publishes its withdrawal; completes with how many
   * replicas acknowledged that. Throws {@link DhtException} NOT_FOUND when this node does not
   * announce it, UNAVAILABLE once the node is shutting down.
   */
  public CompletableFuture<Integer> withdraw(String service, String endpoint) {
    Slot slot;
    long seq;
    Instant expiresAt;
    String unchecked;
    synchronized (this) {
      refuseWhenStopping();
      slot = slots.remove(new Announcement.Key(service, endpoint));
      if (slot == null) {
        throw DhtException.notFound("this node announces no endpoint '" + endpoint
            + "' of service '" + service + "'");
      }
      slot.retire();
      unchecked = noLongerChecked(slot);
      seq = nextSeq();
      expiresAt = expiry(slot.announcement.ttl());
    }
    release(unchecked);
    persist();
    log.info("withdrawing {} of {}", endpoint, service);
    return publish(slot.entry, seq, expiresAt, true);
  }

  /**
   * The node is shutting down: stops every timer, publishes the withdrawal of every announcement
   * that may be published, and saves the seq high-water mark, keeping the announcements saved for
   * the next start. Completes, with how many withdrawals it published (0 when it was called before),
   * once every withdrawal was answered, or {@code timeout} passed; never exceptionally. Announce and
   * Withdraw are refused from now on.
   */
  public CompletableFuture<Integer> withdrawAll(Duration timeout) {
    List<CompletableFuture<?>> withdrawals = new ArrayList<>();
    List<Runnable> publications = new ArrayList<>();
    synchronized (this) {
      if (stopping) {
        return CompletableFuture.completedFuture(0);
      }
      stopping = true;
      for (Slot slot : slots.values()) {
        slot.cancelTimers();
        if (Boolean.FALSE.equals(slot.live) && slot.confirmed) {
          continue; // withdrawn already by its failing health check
        }
        long seq = nextSeq();
        Instant expiresAt = expiry(slot.announcement.ttl());
        CompletableFuture<Integer> done = new CompletableFuture<>();
        withdrawals.add(done);
        publications.add(() -> publish(slot.entry, seq, expiresAt, true)
            .whenComplete((r, e) -> done.complete(r)));
      }
    }
    // Here, not on the blocking pool: the scheduler that runs it may be closing too.
    saveNow();
    publications.forEach(Runnable::run);
    int published = withdrawals.size();
    CompletableFuture<Integer> out = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(timeout, () -> {
      if (out.complete(published)) {
        log.warn("shutting down: not every withdrawal was answered within {}", timeout);
      }
    });
    CompletableFuture.allOf(withdrawals.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
      timer.cancel();
      out.complete(published);
    });
    if (!withdrawals.isEmpty()) {
      log.info("shutting down: withdrawing {} announced endpoint(s)", withdrawals.size());
    }
    return out;
  }

  /** The announcements kept, in the order they were first made. */
  public synchronized List<Announcement> announcements() {
    return slots.values().stream().map(s -> s.announcement).toList();
  }

  /** Whether the announcement of this service and endpoint has its entry published live now. */
  public synchronized boolean isPublished(String service, String endpoint) {
    Slot slot = slots.get(new Announcement.Key(service, endpoint));
    return slot != null && Boolean.TRUE.equals(slot.live) && slot.confirmed;
  }

  /** Stops every timer without publishing anything (after {@link #withdrawAll}, or a crash). */
  @Override
  public synchronized void close() {
    stopping = true;
    slots.values().forEach(Slot::cancelTimers);
  }

  /** The longest wait before a failed publication is tried again, whatever the TTL. */
  static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);

  /**
   * How long after a failed publication it is tried again: a tenth of the TTL, from 1 s to
   * {@link #MAX_RETRY_DELAY}. Capped because a long TTL says how long an entry outlives a dead
   * announcer, not how long a live one may stay unpublished: a node restarted before its mesh
   * answers again would otherwise leave its endpoints unannounced for a tenth of a long TTL.
   */
  static Duration retryDelay(Duration ttl) {
    Duration tenth = ttl.dividedBy(10);
    if (tenth.compareTo(Duration.ofSeconds(1)) < 0) return Duration.ofSeconds(1);
    return tenth.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : tenth;
  }

  // ---- publishing ------------------------------------------------------------------------------

  private CompletableFuture<Publication> begin(Slot slot) {
    return slot.announcement.healthCheck() == null ? publishLive(slot, false) : checkHealth(slot);
  }

  /**
   * Publishes the live entry, then schedules its renewal at half its TTL (a retry on failure). A
   * renewal that a withdrawal overtook (its timer was already running) publishes nothing.
   */
  private CompletableFuture<Publication> publishLive(Slot slot, boolean renewal) {
    long seq;
    Instant expiresAt;
    long generation;
    synchronized (this) {
      if (slot.removed || stopping || (renewal && !Boolean.TRUE.equals(slot.live))) {
        return CompletableFuture.completedFuture(Publication.NOT_PUBLISHED);
      }
      slot.live = true;
      slot.confirmed = false;
      slot.cancelRefresh();
      seq = nextSeq();
      expiresAt = expiry(slot.announcement.ttl());
      generation = ++slot.generation;
    }
    Duration ttl = slot.announcement.ttl();
    return publish(slot.entry, seq, expiresAt, false).whenComplete((replicas, failure) -> {
      synchronized (this) {
        if (slot.removed || stopping || generation != slot.generation) {
          return; // superseded: a newer publication of the slot schedules what follows
        }
        slot.confirmed = failure == null;
        Duration next = failure == null ? ttl.dividedBy(2) : retryDelay(ttl);
        slot.refresh = scheduler.schedule(next, () -> publishLive(slot, true));
      }
      logOutcome(slot, failure, "publishing", "trying again in " + retryDelay(ttl).toSeconds() + "s");
    }).thenApply(replicas -> new Publication(replicas, expiresAt));
  }

  /** Publishes the withdrawal of an endpoint whose health check fails; it is not renewed. */
  private CompletableFuture<Integer> publishWithdrawal(Slot slot) {
    long seq;
    Instant expiresAt;
    long generation;
    synchronized (this) {
      if (slot.removed || stopping) {
        return CompletableFuture.completedFuture(0);
      }
      slot.live = false;
      slot.confirmed = false;
      slot.cancelRefresh();
      seq = nextSeq();
      expiresAt = expiry(slot.announcement.ttl());
      generation = ++slot.generation;
    }
    return publish(slot.entry, seq, expiresAt, true).whenComplete((replicas, failure) -> {
      synchronized (this) {
        if (slot.removed || stopping || generation != slot.generation) {
          return;
        }
        // Unconfirmed, the next health check that fails publishes it again.
        slot.confirmed = failure == null;
      }
      logOutcome(slot, failure, "withdrawing unhealthy", "trying again at its next check");
    });
  }

  /**
   * Asks the probe, schedules the next check, and publishes or withdraws when the answer differs
   * from what is published (or the last such publication failed).
   */
  private CompletableFuture<Publication> checkHealth(Slot slot) {
    HealthCheck check = slot.announcement.healthCheck();
    String endpoint = slot.announcement.endpoint();
    CompletableFuture<Boolean> answer;
    try {
      answer = probe.isServing(endpoint, check.service(), HEALTH_TIMEOUT);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return answer.handle((ok, e) -> e == null && Boolean.TRUE.equals(ok)).thenCompose(serving -> {
      boolean publish;
      boolean withdraw;
      boolean flipped;
      synchronized (this) {
        if (slot.removed || stopping) {
          return CompletableFuture.completedFuture(Publication.NOT_PUBLISHED);
        }
        slot.health = scheduler.schedule(check.interval(), () -> checkHealth(slot));
        publish = serving && !Boolean.TRUE.equals(slot.live);
        withdraw = !serving && (!Boolean.FALSE.equals(slot.live) || !slot.confirmed);
        flipped = slot.lastServing == null || slot.lastServing != serving;
        slot.lastServing = serving;
      }
      if (flipped) {
        log.info("endpoint {} of {} {}", endpoint, slot.announcement.service(), serving
            ? "answers SERVING: publishing it"
            : withdraw ? "is not serving: withdrawing it" : "is not serving: not publishing it");
      }
      if (publish) {
        return publishLive(slot, false);
      }
      if (withdraw) {
        return publishWithdrawal(slot).handle((r, e) -> Publication.NOT_PUBLISHED);
      }
      return CompletableFuture.completedFuture(Publication.NOT_PUBLISHED);
    });
  }

  /**
   * Logs a publication's failure once as a warning, then quietly while it keeps failing (a node cut
   * off from its network would otherwise warn every retry), and the recovery.
   */
  private void logOutcome(Slot slot, Throwable failure, String what, String next) {
    int failedInARow;
    synchronized (this) {
      failedInARow = failure == null ? 0 : ++slot.failedInARow;
      if (failure == null) {
        int before = slot.failedInARow;
        slot.failedInARow = 0;
        if (before > 0) {
          log.info("{} endpoint {} of {} succeeded after {} failed attempts", what,
              slot.announcement.endpoint(), slot.announcement.service(), before);
        }
        return;
      }
    }
    String message = "{} endpoint {} of {} failed ({} in a row), {}: {}";
    Object[] args = {what, slot.announcement.endpoint(), slot.announcement.service(), failedInARow,
        next, messageOf(failure)};
    if (failedInARow == 1) {
      log.warn(message, args);
    } else {
      log.debug(message, args);
    }
  }

  private CompletableFuture<Integer> publish(EndpointEntry entry, long seq, Instant expiresAt,
      boolean withdrawn) {
    try {
      return publisher.publish(entry, seq, expiresAt, withdrawn);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // ---- bookkeeping -----------------------------------------------------------------------------

  /** max(last + 1, now in ms); moves the saved high-water mark ahead when it is reached. */
  private long nextSeq() {
    assert Thread.holdsLock(this);
    long seq = Math.max(lastSeq + 1, scheduler.now().toEpochMilli());
    lastSeq = seq;
    if (seq > reservedSeq) {
      reservedSeq = seq + SEQ_RESERVE_MS;
      persist();
    }
    return seq;
  }

  /** Whole seconds, as the signature carries them. */
  private Instant expiry(Duration ttl) {
    return Instant.ofEpochSecond(scheduler.now().plus(ttl).getEpochSecond());
  }

  /** The endpoint of {@code gone} when no announcement left checks its health; else null. */
  private String noLongerChecked(Slot gone) {
    assert Thread.holdsLock(this);
    if (gone.announcement.healthCheck() == null) {
      return null;
    }
    String endpoint = gone.announcement.endpoint();
    boolean stillChecked = slots.values().stream().anyMatch(s -> s.announcement.healthCheck() != null
        && s.announcement.endpoint().equals(endpoint));
    return stillChecked ? null : endpoint;
  }

  /** Outside the lock: closing a channel may run its calls' callbacks, which take the lock. */
  private void release(String endpoint) {
    if (endpoint != null) {
      probe.release(endpoint);
    }
  }

  private void refuseWhenStopping() {
    if (stopping) {
      throw DhtException.unavailable("the node is shutting down: it takes no announcements");
    }
  }

  private void persist() {
    scheduler.executeBlocking(this::saveNow);
  }

  /** Saves the announcements as they are now (each save snapshots the latest state). */
  private void saveNow() {
    synchronized (saveLock) {
      AnnouncementStore.Saved snapshot;
      synchronized (this) {
        snapshot = new AnnouncementStore.Saved(
            slots.values().stream().map(s -> s.announcement).toList(), reservedSeq);
      }
      try {
        store.save(snapshot);
      } catch (IOException | RuntimeException e) {
        log.warn("saving the announcements failed: {}", e.toString());
      }
    }
  }

  private EndpointEntry entryOf(Announcement a) {
    return EndpointEntry.of(a.service(), a.endpoint(), a.metadata(), announcerId);
  }

  private static Throwable annotated(Throwable failure, String suffix) {
    Throwable cause = unwrap(failure);
    return cause instanceof DhtException d
        ? new DhtException(d.reason(), d.getMessage() + suffix)
        : cause;
  }

  private static String messageOf(Throwable failure) {
    Throwable cause = unwrap(failure);
    return cause.getMessage() == null ? cause.toString() : cause.getMessage();
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** One announcement and what is published of it. Fields guarded by the announcer. */
  private static final class Slot {
    final Announcement announcement;
    final EndpointEntry entry;
    /** True: the live entry should be published; false: its withdrawal; null: unknown yet. */
    Boolean live;
    /** Whether the last publication of {@link #live}'s state was acknowledged. */
    boolean confirmed;
    /** The last health answer, null before the first. */
    Boolean lastServing;
    /** Counts publications begun, so that a late answer to an older one changes nothing. */
    long generation;
    /** Publications that failed since the last that succeeded. */
    int failedInARow;
    boolean begun;
    boolean removed;
    Scheduler.Cancellable refresh;
    Scheduler.Cancellable health;

    Slot(Announcement announcement, EndpointEntry entry, Boolean live, boolean confirmed) {
      this.announcement = announcement;
      this.entry = entry;
      this.live = live;
      this.confirmed = confirmed;
    }

    void cancelRefresh() {
      if (refresh != null) {
        refresh.cancel();
        refresh = null;
      }
    }

    void cancelTimers() {
      cancelRefresh();
      if (health != null) {
        health.cancel();
        health = null;
      }
    }

    void retire() {
      removed = true;
      cancelTimers();
    }
  }
}
