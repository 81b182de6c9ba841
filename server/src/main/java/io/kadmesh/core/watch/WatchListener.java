package io.kadmesh.core.watch;

/**
 * Receives a watch's events, in order, one at a time. Called on the node's own threads, possibly
 * while the watch holds its lock: it must not block (queue the event and return).
 */
@FunctionalInterface
public interface WatchListener {
  void onEvent(WatchEvent event);
}
