package io.kadmesh.server.xds;

import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.watch.WatchEvent;
import io.kadmesh.records.EndpointEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one service's watch has told: its live endpoint entries (one per announcer key and address,
 * as the core's view keeps them), and whether the watch has synced. A RESYNC starts the state over:
 * what follows it up to SYNCED replaces the entries at once, so that a client never sees the set
 * half rebuilt. Not thread-safe: one service's events are applied in order on one thread.
 */
final class ServiceEndpoints {
  /** By address, then announcer key: the order {@link XdsResources} gets them in. */
  private Map<String, EndpointEntry> entries = new TreeMap<>();
  /** Collected between RESYNC and SYNCED; null otherwise. */
  private Map<String, EndpointEntry> rebuilding;
  private boolean synced;

  /**
   * Applies one event; true when the endpoints to publish changed (the first SYNCED counts as a
   * change, even for an empty service: the client is waiting for an answer).
   */
  boolean apply(WatchEvent event) {
    switch (event.type()) {
      case ENDPOINT_ADDED, ENDPOINT_UPDATED -> {
        EndpointEntry entry = EndpointRecords.entry(event.record());
        String id = id(event.record().signature(), entry.address());
        if (rebuilding != null) {
          rebuilding.put(id, entry);
          return false;
        }
        EndpointEntry before = entries.put(id, entry);
        return synced && !sameEntry(before, entry);
      }
      case ENDPOINT_REMOVED -> {
        String id = id(event.record().signature(), EndpointRecords.entry(event.record()).address());
        if (rebuilding != null) {
          rebuilding.remove(id);
          return false;
        }
        return entries.remove(id) != null && synced;
      }
      case RESYNC -> {
        rebuilding = new TreeMap<>();
        return false;
      }
      case SYNCED -> {
        boolean first = !synced;
        synced = true;
        if (rebuilding == null) {
          return first;
        }
        boolean changed = !sameEntries(entries, rebuilding);
        entries = rebuilding;
        rebuilding = null;
        return first || changed;
      }
      default -> {
        return false; // a key's events: never sent to a service's watch
      }
    }
  }

  /** Whether the watch has sent its state at least once. */
  boolean synced() {
    return synced;
  }

  /** The live entries, by address then announcer key. */
  List<EndpointEntry> endpoints() {
    return new ArrayList<>(entries.values());
  }

  private static String id(RecordSignature signature, String address) {
    return address + " " + HexFormat.of().formatHex(signature.publicKey());
  }

  /** EndpointEntry is a record holding an array: compare what gets published, field by field. */
  private static boolean sameEntry(EndpointEntry a, EndpointEntry b) {
    return a != null && b != null && a.address().equals(b.address())
        && a.metadata().equals(b.metadata());
  }

  private static boolean sameEntries(Map<String, EndpointEntry> a, Map<String, EndpointEntry> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, EndpointEntry> e : a.entrySet()) {
      if (!sameEntry(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
