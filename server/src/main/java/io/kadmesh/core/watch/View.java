package io.kadmesh.core.watch;

import io.kadmesh.core.ValueRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a watcher believes the watched records are, merged from every replica's answers and
 * notifications: versions only grow, an older record than the one held is ignored. Not
 * thread-safe: its {@link Watch} guards it.
 */
interface View {
  /** Takes {@code record} (already through the record gate) in; answers the events it causes. */
  List<WatchEvent> merge(ValueRecord record, Instant now);

  /** Drops what expired by {@code now}; answers the events that causes. */
  List<WatchEvent> expire(Instant now);

  /** The whole state as events (without the SYNCED that follows). */
  List<WatchEvent> state(Instant now);

  /** When the next live record expires, if any does. */
  Optional<Instant> nextExpiry();
}
