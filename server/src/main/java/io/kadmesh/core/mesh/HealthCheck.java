package io.kadmesh.core.mesh;

import java.time.Duration;
import java.util.Objects;

/**
 * How the node checks an announced endpoint: the grpc.health.v1 service name it asks about (empty:
 * the server as a whole) and how often.
 */
public record HealthCheck(String service, Duration interval) {
  public HealthCheck {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(interval, "interval");
  }
}
