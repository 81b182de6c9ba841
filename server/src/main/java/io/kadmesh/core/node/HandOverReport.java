package io.kadmesh.core.node;

/**
 * What handing every record over to other nodes did ({@link KademliaNode#handOverAll}).
 *
 * @param held how many records the node held when it began
 * @param handedOff how many of them at least one other node kept
 * @param timedOut whether the timeout passed before every record was tried
 */
public record HandOverReport(long held, long handedOff, boolean timedOut) {}
