package io.kadmesh.client;

import java.time.Instant;

/**
 * One contact of a node's routing table ({@link KadmeshClient#listContacts}).
 *
 * @param nodeIdHex the contact's 32-byte node ID, as lowercase hex
 * @param address the peer address it advertises
 * @param bucket its k-bucket: the length of the ID prefix it shares with the node
 * @param lastSeenAt when it last answered or was heard from; null when not known
 * @param failures requests to it that failed in a row since it last answered
 * @param stale whether it failed enough to be left out of lookups
 * @param replacement whether it waits in the bucket's replacement cache
 */
public record RoutingContact(
    String nodeIdHex,
    String address,
    int bucket,
    Instant lastSeenAt,
    int failures,
    boolean stale,
    boolean replacement) {}
