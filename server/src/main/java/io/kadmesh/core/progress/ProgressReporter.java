package io.kadmesh.core.progress;

/**
 * Where long work reports its progress: starts one {@link Progress} per piece of work. The work
 * names itself ({@code bench}), says how many units it expects (a negative total: not known) and
 * what a unit is ({@code ops}); the reporter decides how it shows.
 */
@FunctionalInterface
public interface ProgressReporter {
  /** Starts reporting a piece of work of {@code total} {@code unit}s (negative: not known). */
  Progress start(String task, long total, String unit);

  /** Reports nothing. */
  ProgressReporter NONE = (task, total, unit) -> Progress.NONE;
}
