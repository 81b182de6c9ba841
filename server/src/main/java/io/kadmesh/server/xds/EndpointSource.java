package io.kadmesh.server.xds;

import io.kadmesh.core.RecordKind;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.watch.WatchListener;

/** Where a service's endpoints come from: a watch that tells its state, SYNCED, then each change. */
@FunctionalInterface
interface EndpointSource {
  /**
   * Starts watching {@code service}; closing the handle stops it. The listener may be called on
   * this thread before this returns.
   */
  AutoCloseable watch(String service, WatchListener listener);

  /** The node's own watch of the service's endpoint records (no gRPC round trip to itself). */
  static EndpointSource of(KademliaNode node) {
    return (service, listener) ->
        node.watch(node.serviceKeyOf(service), RecordKind.ENDPOINT, listener);
  }
}
