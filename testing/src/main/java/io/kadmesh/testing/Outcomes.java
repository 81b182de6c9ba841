package io.kadmesh.testing;

import io.kadmesh.core.DhtException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** How a finished future of the core becomes the caller's value or its DhtException. */
final class Outcomes {
  private Outcomes() {}

  /** The value of a completed {@code future}; a DhtException it failed with is thrown as itself. */
  static <T> T value(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof DhtException d) throw d;
      throw e;
    }
  }
}
