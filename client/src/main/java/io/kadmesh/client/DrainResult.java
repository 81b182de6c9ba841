package io.kadmesh.client;

/**
 * What draining a node did ({@link KadmeshClient#drain}).
 *
 * @param recordsHeld how many records it held when the hand-off began
 * @param recordsHandedOff how many of them at least one other node kept
 * @param announcementsWithdrawn how many announced endpoints it withdrew (0 on a second drain)
 * @param alreadyDrained whether it had been drained before
 * @param timedOut whether its operation timeout passed before every record was tried
 */
public record DrainResult(
    long recordsHeld,
    long recordsHandedOff,
    int announcementsWithdrawn,
    boolean alreadyDrained,
    boolean timedOut) {}
