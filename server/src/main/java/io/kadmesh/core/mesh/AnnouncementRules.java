package io.kadmesh.core.mesh;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.PeerAddress;
import io.kadmesh.records.EndpointEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits an announcement must keep, with the defaults of what a request may leave out. Every
 * refusal is a {@link DhtException} INVALID_ARGUMENT naming the field (as the wire names it) and
 * the limit.
 */
public final class AnnouncementRules {
  /** A published entry's lifetime when the request gives none. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
  /** The shortest lifetime: re-announcing at half of it must not flood the service's replicas. */
  public static final Duration MIN_TTL = Duration.ofSeconds(5);
  /** How often an endpoint's health is checked when the request does not say. */
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(5);
  /** The shortest interval between health checks. */
  public static final Duration MIN_HEALTH_INTERVAL = Duration.ofSeconds(1);
  /** The longest grpc.health.v1 service name, in UTF-8 bytes. */
  public static final int MAX_HEALTH_SERVICE_BYTES = 256;
  /** The metadata key whose value weighs the endpoint for load balancing: a positive integer. */
  public static final String WEIGHT_KEY = "weight";

  private static final byte[] ANY_ID = new byte[EndpointEntry.ANNOUNCER_ID_BYTES];

  private final Duration maxTtl;

  /** {@code maxTtl}: the node's longest record lifetime, which bounds an entry's too. */
  public AnnouncementRules(Duration maxTtl) {
    this.maxTtl = Objects.requireNonNull(maxTtl, "maxTtl");
    if (maxTtl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException("maxTtl " + maxTtl + " is below the shortest announcement TTL "
          + MIN_TTL);
    }
  }

  /** The TTL asked for, or the default when {@code requested} is null. */
  public Duration ttl(Duration requested) {
    return requested == null ? DEFAULT_TTL : requested;
  }

  /** A health check of {@code service}, every {@code interval} (null: the default). */
  public HealthCheck healthCheck(String service, Duration interval) {
    return new HealthCheck(service, interval == null ? DEFAULT_HEALTH_INTERVAL : interval);
  }

  /** Throws INVALID_ARGUMENT, naming the field and the limit, unless {@code a} keeps every limit. */
  public void check(Announcement a) {
    int serviceBytes = utf8Length(a.service());
    if (serviceBytes < 1 || serviceBytes > EndpointEntry.MAX_SERVICE_BYTES) {
      throw DhtException.invalid("service must be 1 to " + EndpointEntry.MAX_SERVICE_BYTES
          + " bytes of UTF-8, got " + serviceBytes);
    }
    if (utf8Length(a.endpoint()) > EndpointEntry.MAX_ADDRESS_BYTES
        || !PeerAddress.isUsable(a.endpoint())) {
      throw DhtException.invalid("endpoint must be HOST:PORT (IPv6 hosts in brackets, at most "
          + EndpointEntry.MAX_ADDRESS_BYTES + " bytes) with a port 1 to 65535 and a host clients "
          + "can dial (not a wildcard), got '" + shorten(a.endpoint()) + "'");
    }
    try {
      EndpointEntry.of(a.service(), a.endpoint(), a.metadata(), ANY_ID);
    } catch (IllegalArgumentException e) {
      throw DhtException.invalid(e.getMessage());
    }
    String weight = a.metadata().get(WEIGHT_KEY);
    if (weight != null && !isPositiveInt(weight)) {
      throw DhtException.invalid("metadata \"weight\" must be a positive integer (1 to "
          + Integer.MAX_VALUE + "), got '" + shorten(weight) + "'");
    }
    if (a.ttl().compareTo(MIN_TTL) < 0 || a.ttl().compareTo(maxTtl) > 0) {
      throw DhtException.invalid("ttl must be at least " + MIN_TTL.toSeconds() + "s and at most the "
          + "node's maximum TTL, " + maxTtl.toSeconds() + "s; got " + a.ttl());
    }
    if (a.healthCheck() != null) {
      HealthCheck check = a.healthCheck();
      int nameBytes = utf8Length(check.service());
      if (nameBytes > MAX_HEALTH_SERVICE_BYTES) {
        throw DhtException.invalid("health_check.service must be at most " + MAX_HEALTH_SERVICE_BYTES
            + " bytes of UTF-8, got " + nameBytes);
      }
      if (check.interval().compareTo(MIN_HEALTH_INTERVAL) < 0 || check.interval().compareTo(maxTtl) > 0) {
        throw DhtException.invalid("health_check.interval must be at least "
            + MIN_HEALTH_INTERVAL.toSeconds() + "s and at most the node's maximum TTL, "
            + maxTtl.toSeconds() + "s; got " + check.interval());
      }
    }
  }

  private static boolean isPositiveInt(String s) {
    if (s.isEmpty() || s.length() > 10) return false;
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
    }
    long v = Long.parseLong(s);
    return v >= 1 && v <= Integer.MAX_VALUE;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** A value quoted in a message, cut so that a huge one does not make a huge message. */
  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
