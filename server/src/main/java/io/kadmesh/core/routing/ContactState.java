package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import java.time.Instant;
import java.util.Optional;

/**
 * One contact of the routing table as it stands: its bucket, when it last answered this node
 * (empty for a contact promoted from a replacement cache, whose last answer is not kept), and how
 * many requests to it failed in a row since; {@code stale} once those failures reach the table's
 * limit.
 */
public record ContactState(int bucket, Contact contact, Optional<Instant> lastSeen, int failures,
    boolean stale) {}
