package io.kadmesh.client;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One live endpoint of a service, as {@link KadmeshClient#resolve} returns it.
 *
 * @param address the endpoint, HOST:PORT
 * @param metadata what its announcer said of it, in key order
 * @param announcerId the 32-byte node ID of the node that announced it, as lowercase hex
 * @param announcerKey the announcer's raw 32-byte Ed25519 public key, which signed the entry, as
 *     lowercase hex
 * @param expiresAt when the entry expires unless its announcer renews it
 */
public record ServiceEndpoint(String address, SortedMap<String, String> metadata,
    String announcerId, String announcerKey, Instant expiresAt) {
  public ServiceEndpoint {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(announcerId, "announcerId");
    Objects.requireNonNull(announcerKey, "announcerKey");
    Objects.requireNonNull(expiresAt, "expiresAt");
    metadata = Collections.unmodifiableSortedMap(
        new TreeMap<>(Objects.requireNonNull(metadata, "metadata")));
  }

  /** An endpoint with its metadata copied into key order. */
  public static ServiceEndpoint of(String address, Map<String, String> metadata, String announcerId,
      String announcerKey, Instant expiresAt) {
    return new ServiceEndpoint(address, new TreeMap<>(metadata), announcerId, announcerKey,
        expiresAt);
  }
}
