package io.kadmesh.client.resolver;

import com.google.protobuf.ByteString;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchEventType;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * One watch event as the resolver uses it: its type and, for an endpoint event, the endpoint with
 * its address already turned into a socket address (or the reason it could not be), so that no
 * host lookup happens inside the channel's synchronization context.
 */
record EndpointChange(
    WatchEventType type,
    String address,
    ByteString announcer,
    Map<String, String> metadata,
    InetSocketAddress socketAddress,
    String unusableBecause) {

  /** Converts an event off the synchronization context: this may look a host name up. */
  static EndpointChange of(WatchEvent event) {
    WatchEventType type = event.getType();
    boolean endpointEvent =
        type == WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED
            || type == WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_UPDATED
            || type == WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_REMOVED;
    if (!endpointEvent) {
      return new EndpointChange(type, "", ByteString.EMPTY, Map.of(), null, null);
    }
    Endpoint endpoint = event.getEndpoint();
    InetSocketAddress socket = null;
    String unusable = null;
    if (type != WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_REMOVED) {
      try {
        socket = EndpointAddresses.parse(endpoint.getAddress());
      } catch (IllegalArgumentException e) {
        unusable = e.getMessage();
      }
    }
    return new EndpointChange(
        type,
        endpoint.getAddress(),
        endpoint.getAnnouncer(),
        Map.copyOf(endpoint.getMetadataMap()),
        socket,
        unusable);
  }
}
