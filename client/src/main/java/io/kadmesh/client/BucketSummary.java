package io.kadmesh.client;

/**
 * One k-bucket of a node's routing table.
 *
 * @param index the length of the ID prefix its contacts share with the node, 0 to 255
 * @param contacts how many contacts the bucket holds (at most k)
 * @param replacements how many contacts wait in its replacement cache
 */
public record BucketSummary(int index, int contacts, int replacements) {}
