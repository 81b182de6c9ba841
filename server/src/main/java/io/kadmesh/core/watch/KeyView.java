package io.kadmesh.core.watch;

import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The view of one key (last writer wins): the newest version seen, in the store's {@link Version}
 * order. VALUE when a newer value arrives, DELETED for a tombstone or when the value expires.
 */
final class KeyView implements View {
  /** The newest record seen, even once expired, so that an older one is never taken after it. */
  private ValueRecord newest;
  /** Whether {@link #newest} is a value that has not expired yet. */
  private boolean live;

  @Override
  public List<WatchEvent> merge(ValueRecord record, Instant now) {
    if (record.isExpiredAt(now)) return List.of();
    if (newest != null && !record.version().isNewerThan(newest.version())) return List.of();
    newest = record;
    live = !record.isTombstone();
    return List.of(event());
  }

  @Override
  public List<WatchEvent> expire(Instant now) {
    if (live && newest.isExpiredAt(now)) {
      live = false;
      return List.of(new WatchEvent(WatchEvent.Type.DELETED, null));
    }
    return List.of();
  }

  @Override
  public List<WatchEvent> state(Instant now) {
    expire(now);
    if (live || (newest != null && newest.isTombstone())) return List.of(event());
    return List.of(new WatchEvent(WatchEvent.Type.DELETED, null));
  }

  @Override
  public Optional<Instant> nextExpiry() {
    return live ? Optional.of(newest.expiresAt()) : Optional.empty();
  }

  private WatchEvent event() {
    return new WatchEvent(live ? WatchEvent.Type.VALUE : WatchEvent.Type.DELETED, newest);
  }
}
