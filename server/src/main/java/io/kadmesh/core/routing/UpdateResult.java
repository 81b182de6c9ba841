package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;

/**
 * What the routing table did with a contact it was told about. When {@link #toPing()} is not
 * null, the caller pings that contact and reports the outcome: for CACHED it is the full bucket's
 * least-recently-seen contact ({@link RoutingTable#pingAnswered} or {@link RoutingTable#pingFailed},
 * paper §2.2); for ADDRESS_CLAIMED it is the contact at the address the table holds, and only when
 * that no longer answers does {@link RoutingTable#moved} adopt the new one.
 */
public record UpdateResult(Outcome outcome, Contact toPing) {
  /** The table's decision. */
  public enum Outcome {
    /** A new contact went into its bucket. */
    ADDED,
    /** A known contact at its known address moved to its bucket's tail. */
    UPDATED,
    /** Its bucket is full: the contact waits in the replacement cache. */
    CACHED,
    /** Its subnet has as many contacts as the diversity limits allow: neither added nor cached. */
    REFUSED,
    /**
     * A request's sender the table does not hold at that address (or holds as stale): nothing
     * changed; the caller may check the claim with a ping and report the answer as seen.
     */
    UNVERIFIED,
    /** A known ID answered at another address: kept at its old one until that stops answering. */
    ADDRESS_CLAIMED,
    /** This node's own ID: never stored. */
    IGNORED
  }

  static final UpdateResult ADDED = new UpdateResult(Outcome.ADDED, null);
  static final UpdateResult UPDATED = new UpdateResult(Outcome.UPDATED, null);
  static final UpdateResult REFUSED = new UpdateResult(Outcome.REFUSED, null);
  static final UpdateResult UNVERIFIED = new UpdateResult(Outcome.UNVERIFIED, null);
  static final UpdateResult IGNORED = new UpdateResult(Outcome.IGNORED, null);

  static UpdateResult cached(Contact toPing) {
    return new UpdateResult(Outcome.CACHED, toPing);
  }

  static UpdateResult addressClaimed(Contact held) {
    return new UpdateResult(Outcome.ADDRESS_CLAIMED, held);
  }
}
