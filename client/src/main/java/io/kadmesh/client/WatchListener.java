package io.kadmesh.client;

/**
 * Receives a watch's events in order, on a gRPC thread: return quickly. A watch runs until its
 * {@link WatchHandle} is closed, or until it fails ({@link #onError}).
 */
public interface WatchListener {
  /** The next event. */
  void onEvent(WatchEvent event);

  /**
   * The watch ended because the node refused it (INVALID_ARGUMENT for a bad key or service name,
   * RESOURCE_EXHAUSTED over its limit of watches) or could no longer be reached. Not called when
   * the handle was closed.
   */
  default void onError(KadmeshException error) {}
}
