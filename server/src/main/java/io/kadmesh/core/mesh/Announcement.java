package io.kadmesh.core.mesh;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the application asked this node to announce: an endpoint of a service, what to say of it,
 * how long each published entry lives, and optionally how to check its health. {@link
 * AnnouncementRules} checks it against the limits; this type only holds it.
 *
 * @param healthCheck null when the endpoint is published without a check
 */
public record Announcement(String service, String endpoint, SortedMap<String, String> metadata,
    Duration ttl, HealthCheck healthCheck) {
  public Announcement {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(ttl, "ttl");
    metadata = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(metadata,
        "metadata")));
  }

  /** An announcement with its metadata copied into key order. */
  public static Announcement of(String service, String endpoint, Map<String, String> metadata,
      Duration ttl, HealthCheck healthCheck) {
    return new Announcement(service, endpoint, new TreeMap<>(metadata), ttl, healthCheck);
  }

  /** The health check, when there is one. */
  public Optional<HealthCheck> health() {
    return Optional.ofNullable(healthCheck);
  }

  /** What identifies it among a node's announcements: the service and the endpoint. */
  public Key key() {
    return new Key(service, endpoint);
  }

  /** A service and one of its endpoints. */
  public record Key(String service, String endpoint) {
    public Key {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(endpoint, "endpoint");
    }
  }
}
