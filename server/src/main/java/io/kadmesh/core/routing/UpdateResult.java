package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;

/**
 * What the routing table did with a contact it was told about. When {@link #toPing()} is not
 * null, the bucket was full: the caller pings that least-recently-seen contact and reports the
 * outcome with {@link RoutingTable#pingAnswered} or {@link RoutingTable#pingFailed} (paper §2.2).
 */
public record UpdateResult(Outcome outcome, Contact toPing) {
  /** The table's decision. */
  public enum Outcome {
    /** A new contact went into its bucket. */
    ADDED,
    /** A known contact moved to its bucket's tail (its address updated if it changed). */
    UPDATED,
    /** Its bucket is full: the contact waits in the replacement cache. */
    CACHED,
    /** This node's own ID: never stored. */
    IGNORED
  }

  static final UpdateResult ADDED = new UpdateResult(Outcome.ADDED, null);
  static final UpdateResult UPDATED = new UpdateResult(Outcome.UPDATED, null);
  static final UpdateResult IGNORED = new UpdateResult(Outcome.IGNORED, null);

  static UpdateResult cached(Contact toPing) {
    return new UpdateResult(Outcome.CACHED, toPing);
  }
}
