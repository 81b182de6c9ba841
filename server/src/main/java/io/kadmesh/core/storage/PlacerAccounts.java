package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.storage.RecordStore.PeerQuota;
import io.kadmesh.core.storage.RecordStore.Usage;
import java.util.HashMap;
import java.util.Map;

/**
 * What each placer's records held in one store add up to. Not thread-safe: a store changes it
 * under the lock that guards its own counters. Bounded by construction: an account exists only
 * while its placer has a record held, so there are never more accounts than records.
 */
final class PlacerAccounts {
  private final Map<NodeId, long[]> accounts = new HashMap<>();

  Usage usage(NodeId placer) {
    long[] a = placer == null ? null : accounts.get(placer);
    return a == null ? Usage.NONE : new Usage(a[0], a[1]);
  }

  int size() {
    return accounts.size();
  }

  /**
   * Whether {@code placer} may hold a record of {@code bytes} under {@code quota}, given that the
   * record it replaces (if any) was placed by {@code heldPlacer} and cost {@code heldBytes}.
   */
  boolean admits(NodeId placer, PeerQuota quota, long bytes, NodeId heldPlacer, long heldBytes) {
    if (placer == null) return true;
    Usage u = usage(placer);
    long records = u.records() + 1;
    long total = u.bytes() + bytes;
    if (placer.equals(heldPlacer)) {
      records--;
      total -= heldBytes;
    }
    return records <= quota.maxRecords() && total <= quota.maxBytes();
  }

  void add(NodeId placer, long bytes) {
    if (placer == null) return;
    long[] a = accounts.computeIfAbsent(placer, p -> new long[2]);
    a[0]++;
    a[1] += bytes;
  }

  void remove(NodeId placer, long bytes) {
    if (placer == null) return;
    long[] a = accounts.get(placer);
    if (a == null) return;
    a[0]--;
    a[1] -= bytes;
    if (a[0] <= 0) accounts.remove(placer);
  }
}
