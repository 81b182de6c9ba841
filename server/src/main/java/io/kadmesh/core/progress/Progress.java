package io.kadmesh.core.progress;

/**
 * One piece of long work reporting how far it has come: {@link #step} as units are done, then
 * {@link #close} once it ends (done, failed or abandoned). Thread-safe: the units of one piece of
 * work may finish on many threads.
 */
public interface Progress extends AutoCloseable {
  /** {@code units} more units are done. */
  void step(long units);

  /** One more unit is done. */
  default void step() {
    step(1);
  }

  /** The work ended; what shows it is finished. Idempotent. */
  @Override
  void close();

  /** Progress nobody watches. */
  Progress NONE = new Progress() {
    @Override
    public void step(long units) {}

    @Override
    public void close() {}
  };
}
