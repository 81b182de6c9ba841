package io.kadmesh.client;

/**
 * The outcome of a delete: the tombstone's write.
 *
 * @param replicas how many nodes acknowledged the tombstone
 * @param version the version the node gave the tombstone
 */
public record DeleteResult(int replicas, ValueVersion version) {}
