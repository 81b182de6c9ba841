package io.kadmesh.client.resolver;

import com.google.protobuf.ByteString;
import io.grpc.Attributes;
import io.grpc.EquivalentAddressGroup;
import io.kadmesh.proto.v1.WatchEventType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The endpoints of one service as a watch stream describes them: a set keyed by address and
 * announcer (many nodes may announce one address), built from ADDED, UPDATED and REMOVED events.
 *
 * <p>A stream's first events, and those after RESYNC, build a fresh set that replaces the current
 * one only at SYNCED, so that a half-delivered state is never published. Not thread-safe: the
 * resolver uses it inside its synchronization context.
 */
final class EndpointSet {

  private record Key(String address, ByteString announcer) {}

  private static final Comparator<ByteString> ANNOUNCER_ORDER =
      ByteString.unsignedLexicographicalComparator();

  private Map<Key, EndpointChange> current = new HashMap<>();
  /** The set being built since the stream began or since RESYNC; null once SYNCED. */
  private Map<Key, EndpointChange> pending = new HashMap<>();

  /** What {@link #apply} tells the resolver to do. */
  enum Outcome {
    /** Nothing to publish: the change is held until SYNCED, or it changed nothing. */
    HOLD,
    /** The current set may have changed: publish it if it differs from what was published. */
    CHANGED,
    /** A whole state arrived (SYNCED): publish it. */
    SYNCED
  }

  /** Starts over for a new stream: its events build a fresh set, published at its SYNCED. */
  void restart() {
    pending = new HashMap<>();
  }

  /** True once a stream delivered a whole state (and until {@link #restart} or RESYNC). */
  boolean synced() {
    return pending == null;
  }

  Outcome apply(EndpointChange change) {
    WatchEventType type = change.type();
    switch (type) {
      case WATCH_EVENT_TYPE_RESYNC -> {
        pending = new HashMap<>();
        return Outcome.HOLD;
      }
      case WATCH_EVENT_TYPE_SYNCED -> {
        if (pending != null) {
          current = pending;
          pending = null;
        }
        return Outcome.SYNCED;
      }
      case WATCH_EVENT_TYPE_ENDPOINT_ADDED, WATCH_EVENT_TYPE_ENDPOINT_UPDATED -> {
        target().put(new Key(change.address(), change.announcer()), change);
        return pending == null ? Outcome.CHANGED : Outcome.HOLD;
      }
      case WATCH_EVENT_TYPE_ENDPOINT_REMOVED -> {
        boolean removed = target().remove(new Key(change.address(), change.announcer())) != null;
        return pending == null && removed ? Outcome.CHANGED : Outcome.HOLD;
      }
      default -> {
        // VALUE and DELETED belong to key watches; UNSPECIFIED is a newer type this client does
        // not know. Neither changes a service's endpoints.
        return Outcome.HOLD;
      }
    }
  }

  private Map<Key, EndpointChange> target() {
    return pending != null ? pending : current;
  }

  /**
   * The current set as address groups, one per usable address (sorted, so that an unchanged set
   * compares equal), each with the metadata of its first announcer as {@link
   * KadmeshNameResolverProvider#ENDPOINT_METADATA}.
   */
  List<EquivalentAddressGroup> addressGroups() {
    TreeMap<String, EndpointChange> byAddress = new TreeMap<>();
    for (EndpointChange endpoint : current.values()) {
      if (endpoint.socketAddress() == null) {
        continue;
      }
      byAddress.merge(
          endpoint.address(),
          endpoint,
          (a, b) -> ANNOUNCER_ORDER.compare(a.announcer(), b.announcer()) <= 0 ? a : b);
    }
    List<EquivalentAddressGroup> groups = new ArrayList<>(byAddress.size());
    for (EndpointChange endpoint : byAddress.values()) {
      Attributes attributes =
          Attributes.newBuilder()
              .set(KadmeshNameResolverProvider.ENDPOINT_METADATA, endpoint.metadata())
              .build();
      groups.add(new EquivalentAddressGroup(endpoint.socketAddress(), attributes));
    }
    return groups;
  }

  /** The endpoints of the current set that have no usable address, with the reason. */
  List<String> unusable() {
    List<String> reasons = new ArrayList<>();
    for (EndpointChange endpoint : current.values()) {
      if (endpoint.socketAddress() == null) {
        reasons.add(endpoint.unusableBecause());
      }
    }
    reasons.sort(null);
    return reasons;
  }
}
