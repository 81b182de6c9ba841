package io.kadmesh.core.mesh;

/**
 * What a drain did ({@link NodeDrain#drain}).
 *
 * @param recordsHeld how many records the node held when the hand-off began
 * @param recordsHandedOff how many of them at least one other node kept
 * @param announcementsWithdrawn how many announced endpoints it withdrew (0 on a second drain)
 * @param alreadyDrained whether the node had been drained before
 * @param timedOut whether the timeout passed before every record was tried
 */
public record DrainReport(long recordsHeld, long recordsHandedOff, int announcementsWithdrawn,
    boolean alreadyDrained, boolean timedOut) {}
