package io.kadmesh.core.watch;

import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.records.EndpointEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The view of a service: a set of signed entries, one per (announcer public key, address), the
 * address being the signature's name. Per entry the newest state wins, in the order replicas use
 * (seq, then SHA-256 of the signature: the record's derived version). ENDPOINT_ADDED when an entry
 * appears, ENDPOINT_UPDATED when a live one gets a newer state, ENDPOINT_REMOVED when it is
 * withdrawn (a tombstone) or expires.
 */
final class EndpointView implements View {
  /** By address, then announcer key (hex), so that the state comes out in a stable order. */
  private final Map<String, Entry> entries = new TreeMap<>();

  /** An entry's newest state seen, and whether it is a live (announced, unexpired) one. */
  private static final class Entry {
    ValueRecord newest;
    boolean live;
  }

  @Override
  public List<WatchEvent> merge(ValueRecord record, Instant now) {
    RecordSignature signature = record.signature();
    if (signature == null || record.isExpiredAt(now)) return List.of();
    // A withdrawal is bound to its entry by the signature's key and name alone; it need not carry it.
    if (!record.isTombstone() && !namesItsEntry(record)) return List.of();
    String id = signature.name() + " " + HexFormat.of().formatHex(signature.publicKey());
    Entry entry = entries.computeIfAbsent(id, i -> new Entry());
    if (entry.newest != null && !record.version().isNewerThan(entry.newest.version())) {
      return List.of();
    }
    ValueRecord before = entry.newest;
    boolean wasLive = entry.live;
    entry.newest = record;
    entry.live = !record.isTombstone();
    if (entry.live) {
      return List.of(new WatchEvent(wasLive ? WatchEvent.Type.ENDPOINT_UPDATED
          : WatchEvent.Type.ENDPOINT_ADDED, record));
    }
    // A withdrawal carries the entry too; the removal reports the endpoint as it last was.
    return wasLive ? List.of(new WatchEvent(WatchEvent.Type.ENDPOINT_REMOVED, before)) : List.of();
  }

  /** Whether the record's value is an entry for the address its signature names. */
  private static boolean namesItsEntry(ValueRecord record) {
    try {
      return EndpointEntry.decode(record.valueUnsafe()).address().equals(record.signature().name());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public List<WatchEvent> expire(Instant now) {
    List<WatchEvent> out = new ArrayList<>();
    for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (!entry.newest.isExpiredAt(now)) continue;
      if (entry.live) {
        out.add(new WatchEvent(WatchEvent.Type.ENDPOINT_REMOVED, entry.newest));
      }
      // Forgotten once expired, as replicas purge it too: the view stays as large as the set.
      it.remove();
    }
    return out;
  }

  @Override
  public List<WatchEvent> state(Instant now) {
    expire(now);
    List<WatchEvent> out = new ArrayList<>();
    for (Entry entry : entries.values()) {
      if (entry.live) out.add(new WatchEvent(WatchEvent.Type.ENDPOINT_ADDED, entry.newest));
    }
    return out;
  }

  @Override
  public Optional<Instant> nextExpiry() {
    return entries.values().stream().filter(e -> e.live).map(e -> e.newest.expiresAt())
        .min(Instant::compareTo);
  }
}
