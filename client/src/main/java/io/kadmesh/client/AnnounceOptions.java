package io.kadmesh.client;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an announcement says besides its service and endpoint: metadata, the TTL of each published
 * entry (null: the node's default, 30 s) and, optionally, a grpc.health.v1 check the node runs on
 * the endpoint (service name; interval, null: the node's default, 5 s). Immutable: each {@code
 * with…} returns a copy.
 *
 * @param healthCheckService null for no health check; empty checks the server as a whole
 */
public record AnnounceOptions(Map<String, String> metadata, Duration ttl, String healthCheckService,
    Duration healthCheckInterval) {
  /** No metadata, the node's TTL, no health check. */
  public static final AnnounceOptions DEFAULTS = new AnnounceOptions(Map.of(), null, null, null);

  public AnnounceOptions {
    metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
    if (healthCheckInterval != null && healthCheckService == null) {
      throw new IllegalArgumentException("a health check interval needs a health check");
    }
  }

  /** These options with {@code metadata} instead (e.g. "zone", "weight"). */
  public AnnounceOptions withMetadata(Map<String, String> metadata) {
    return new AnnounceOptions(metadata, ttl, healthCheckService, healthCheckInterval);
  }

  /** These options with each published entry living {@code ttl}. */
  public AnnounceOptions withTtl(Duration ttl) {
    return new AnnounceOptions(metadata, Objects.requireNonNull(ttl, "ttl"), healthCheckService,
        healthCheckInterval);
  }

  /** These options with a health check of {@code service} ("" for the whole server) at the node's interval. */
  public AnnounceOptions withHealthCheck(String service) {
    return new AnnounceOptions(metadata, ttl, Objects.requireNonNull(service, "service"), null);
  }

  /** These options with a health check of {@code service} every {@code interval}. */
  public AnnounceOptions withHealthCheck(String service, Duration interval) {
    return new AnnounceOptions(metadata, ttl, Objects.requireNonNull(service, "service"),
        Objects.requireNonNull(interval, "interval"));
  }

  /** The health check's service name, when there is a check. */
  public Optional<String> healthCheck() {
    return Optional.ofNullable(healthCheckService);
  }
}
