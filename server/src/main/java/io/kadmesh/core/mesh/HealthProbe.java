package io.kadmesh.core.mesh;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Asks an announced endpoint whether it serves: grpc.health.v1's Check in production. Holds what it
 * needs per endpoint (a channel) until {@link #release} says the endpoint is no longer checked.
 */
public interface HealthProbe extends AutoCloseable {
  /**
   * Whether {@code endpoint} answers SERVING for {@code service} (empty: the server as a whole)
   * within {@code timeout}. Completes false, never exceptionally, when it answers otherwise or
   * cannot be reached.
   */
  CompletableFuture<Boolean> isServing(String endpoint, String service, Duration timeout);

  /** No announcement checks {@code endpoint} any more: let go of what is held for it. */
  void release(String endpoint);

  /** Lets go of everything held. */
  @Override
  void close();
}
