package io.kadmesh.core.watch;

/**
 * Hears what Watch work this node does, so that a layer above can count it; the core keeps no
 * metrics. Called on the node's threads, event loops among them: implementations must be quick and
 * thread-safe.
 */
public interface WatchMetrics {
  /** What became of one notification a replica owed a subscriber. */
  enum NotifyResult {
    /** The subscriber answered (whether it still watches or not). */
    SENT,
    /** The call failed or timed out; the subscriber's next renewal brings the change. */
    FAILED,
    /** Not sent: too many notifications were in flight already (maxNotifiesInFlight). */
    DROPPED
  }

  /** A notification of a new version ended as {@code result}. */
  default void notified(NotifyResult result) {}

  /** A watch found it may have missed a change and sent RESYNC with the whole state. */
  default void resynced() {}

  /** Metrics that go nowhere. */
  WatchMetrics NONE = new WatchMetrics() {};
}
