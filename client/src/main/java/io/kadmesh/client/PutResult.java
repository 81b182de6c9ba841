package io.kadmesh.client;

import java.time.Instant;

/**
 * The outcome of a put.
 *
 * @param replicas how many nodes acknowledged the record
 * @param version the version the node gave this write
 * @param expiresAt when replicas drop the record; null if the node did not say
 */
public record PutResult(int replicas, ValueVersion version, Instant expiresAt) {}
