package io.kadmesh.client;

import java.time.Instant;

/**
 * The first publication of an announcement.
 *
 * @param replicas how many nodes acknowledged the entry; 0 while its health check has not passed
 * @param expiresAt when the entry expires unless the node renews it (which it does until withdrawn);
 *     null when nothing is published yet
 */
public record AnnounceResult(int replicas, Instant expiresAt) {
  /** Whether the entry was published (its health check, if any, passed). */
  public boolean published() {
    return expiresAt != null;
  }
}
