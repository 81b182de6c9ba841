package io.kadmesh.core.mesh;

import java.time.Instant;
import java.util.Optional;

/**
 * The first publication of an announcement: how many replicas acknowledged its entry and when that
 * entry expires; {@link #NOT_PUBLISHED} while its health check has not passed.
 *
 * @param expiresAt null when nothing was published
 */
public record Publication(int replicas, Instant expiresAt) {
  /** Nothing published yet. */
  public static final Publication NOT_PUBLISHED = new Publication(0, null);

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }
}
