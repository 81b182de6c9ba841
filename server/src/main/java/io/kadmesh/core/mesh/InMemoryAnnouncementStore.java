package io.kadmesh.core.mesh;

/** An {@link AnnouncementStore} in memory: a node that keeps nothing on disk, and tests. */
public final class InMemoryAnnouncementStore implements AnnouncementStore {
  private volatile Saved saved = Saved.EMPTY;

  @Override
  public Saved load() {
    return saved;
  }

  @Override
  public void save(Saved saved) {
    this.saved = saved;
  }
}
