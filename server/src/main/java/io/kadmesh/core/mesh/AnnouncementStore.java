package io.kadmesh.core.mesh;

import java.io.IOException;
import java.util.List;

/**
 * Where a node keeps its announcements across restarts, with the highest seq it may have given an
 * entry, so that a restarted node re-announces them with seqs that still grow.
 */
public interface AnnouncementStore {
  /** What was saved last; none and 0 when nothing was. */
  Saved load() throws IOException;

  /** Replaces what is saved. */
  void save(Saved saved) throws IOException;

  /** The announcements and the seq high-water mark: no entry was published with a higher seq. */
  record Saved(List<Announcement> announcements, long seqHighWater) {
    public static final Saved EMPTY = new Saved(List.of(), 0);

    public Saved {
      announcements = List.copyOf(announcements);
    }
  }
}
