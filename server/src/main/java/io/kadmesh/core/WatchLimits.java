package io.kadmesh.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of Watch, with their defaults: what a node grants as a replica (subscriptions other
 * nodes hold with it) and what it spends as a watcher (subscriptions it holds, streams it serves).
 *
 * @param subscriptionTtl how long a watcher asks its subscriptions to last; it renews them at half
 *     of it, re-running the lookup so that they follow the key's replicas (2 min by default)
 * @param maxSubscriptionTtl the longest subscription a replica grants; a longer ask is shortened
 *     (10 min by default)
 * @param maxSubscriptionsPerSubscriber subscriptions one subscriber node may hold with this replica
 *     (1024 by default)
 * @param maxSubscriptions subscriptions this replica holds in all (65,536 by default)
 * @param maxNotifiesInFlight Notify calls a replica has outstanding at once; a change beyond it is
 *     not sent, and the watcher's next renewal repairs it (256 by default)
 * @param maxWatchStreams Watch streams a node serves at once (256 by default: with synchronous
 *     writes every open stream holds one of the node's queued-call places, 1024 by default, so
 *     watches alone cannot take them all)
 * @param maxQueuedEvents events one Watch stream may have waiting for a slow reader before they
 *     are collapsed into RESYNC, the state and SYNCED (256 by default)
 */
public record WatchLimits(
    Duration subscriptionTtl,
    Duration maxSubscriptionTtl,
    int maxSubscriptionsPerSubscriber,
    int maxSubscriptions,
    int maxNotifiesInFlight,
    int maxWatchStreams,
    int maxQueuedEvents) {
  /** The defaults, as documented above. */
  public static final WatchLimits DEFAULTS = new WatchLimits(Duration.ofMinutes(2),
      Duration.ofMinutes(10), 1024, 65_536, 256, 256, 256);

  public WatchLimits {
    Objects.requireNonNull(subscriptionTtl, "subscriptionTtl");
    Objects.requireNonNull(maxSubscriptionTtl, "maxSubscriptionTtl");
    if (subscriptionTtl.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("subscriptionTtl must be at least 2s: " + subscriptionTtl);
    }
    if (maxSubscriptionTtl.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("maxSubscriptionTtl must be at least 2s: " + maxSubscriptionTtl);
    }
    positive("maxSubscriptionsPerSubscriber", maxSubscriptionsPerSubscriber);
    positive("maxSubscriptions", maxSubscriptions);
    positive("maxNotifiesInFlight", maxNotifiesInFlight);
    positive("maxWatchStreams", maxWatchStreams);
    positive("maxQueuedEvents", maxQueuedEvents);
  }

  private static void positive(String name, int value) {
    if (value < 1) throw new IllegalArgumentException(name + " must be positive: " + value);
  }
}
