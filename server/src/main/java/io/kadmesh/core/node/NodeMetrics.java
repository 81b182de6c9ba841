package io.kadmesh.core.node;

import io.kadmesh.core.watch.WatchMetrics;

/**
 * Hears what work the node did, so that a layer above can count it (the server exports it to
 * Prometheus); the core itself keeps no metrics and imports no metrics library. Called on the
 * node's threads, event loops among them: implementations must be quick and thread-safe.
 */
public interface NodeMetrics extends WatchMetrics {
  /** The two iterative lookups of paper §2.3. */
  enum LookupType { FIND_NODE, FIND_VALUE }

  /**
   * A lookup ended (found, failed or abandoned): {@code hops}, the longest chain of answers it
   * waited on (a seed that answered is one hop), and {@code rpcs}, the requests it sent.
   */
  default void lookupFinished(LookupType type, int hops, int rpcs) {}

  /** The republisher wrote {@code records} records again (paper §2.5). */
  default void republished(int records) {}

  /** {@code records} records were handed to nodes now closer to their keys than this one. */
  default void handedOff(int records) {}

  /** Read repair wrote a record to {@code replicas} contacts that answered with an older one. */
  default void readRepaired(int replicas) {}

  /** This node refused a peer's STORE for {@code reason}. */
  default void storeRefused(StoreRefusal reason) {}

  /** Why a STORE was refused; a handful of values, so that they can label a counter. */
  enum StoreRefusal { FULL, SENDER_QUOTA, FAR_KEY, TOO_LARGE, INVALID, SERVICE_QUOTA }

  /** Metrics that go nowhere. */
  NodeMetrics NONE = new NodeMetrics() {};
}
