package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import java.time.Instant;
import java.util.Objects;

/**
 * A read-only view of one contact of the routing table, for operators (the Admin service, the
 * dashboard): where it sits and how it has fared.
 *
 * @param contact the contact's ID and advertised address
 * @param bucket the index of its k-bucket: the length of the ID prefix it shares with this node
 * @param lastSeen when it last answered this node or was heard from at its address; null when not
 *     known (a contact promoted from the replacement cache, or one waiting in it)
 * @param failures requests to it that failed in a row since it last answered (0 in the cache)
 * @param stale whether it failed enough in a row to be left out of lookups (kept for want of a
 *     replacement)
 * @param replacement whether it waits in the bucket's replacement cache (paper §4.1)
 */
public record ContactView(Contact contact, int bucket, Instant lastSeen, int failures,
    boolean stale, boolean replacement) {
  public ContactView {
    Objects.requireNonNull(contact, "contact");
  }
}
