package io.kadmesh.core.mesh;

import io.kadmesh.records.EndpointEntry;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Publishes one state of an endpoint entry on the replicas of its service's key: the entry signed
 * by this node's key with {@code seq} and {@code expiresAt}, or its withdrawal (a tombstone that
 * carries the same entry bytes). Completes with how many replicas acknowledged it; fails with a
 * {@link io.kadmesh.core.DhtException} (UNAVAILABLE when no replica kept it).
 */
@FunctionalInterface
public interface EndpointPublisher {
  CompletableFuture<Integer> publish(EndpointEntry entry, long seq, Instant expiresAt,
      boolean withdrawn);
}
