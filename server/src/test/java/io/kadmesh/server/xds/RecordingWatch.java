package io.kadmesh.server.xds;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.XdsRequest;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client's EDS subscription to one service, straight on the cache: each answer is recorded, and
 * {@link #ask} sends the next request with the version last received, as an ACK does.
 */
final class RecordingWatch {
  final List<ClusterLoadAssignment> responses = new CopyOnWriteArrayList<>();
  private final XdsResourceCache cache;
  private final String service;
  private volatile String version = "";

  RecordingWatch(XdsResourceCache cache, String service) {
    this.cache = cache;
    this.service = service;
    ask();
  }

  /** Asks again, having what was last received (the request a client sends after each answer). */
  void ask() {
    DiscoveryRequest request = DiscoveryRequest.newBuilder()
        .setTypeUrl(Resources.V3.ENDPOINT_TYPE_URL)
        .addResourceNames(service)
        .setVersionInfo(version)
        .build();
    cache.createWatch(true, XdsRequest.create(request), java.util.Set.of(), response -> {
      version = response.version();
      response.resources().forEach(r -> responses.add((ClusterLoadAssignment) r));
    }, false, false);
  }
}
