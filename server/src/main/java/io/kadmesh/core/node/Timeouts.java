package io.kadmesh.core.node;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.Scheduler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Puts the core's own deadline on futures, on the injected scheduler rather than a timer thread. */
final class Timeouts {
  private Timeouts() {}

  /** {@code f}'s outcome, or DEADLINE_EXCEEDED if it has none after {@code timeout}. */
  static <T> CompletableFuture<T> within(CompletableFuture<T> f, Duration timeout,
      Scheduler scheduler, String what) {
    CompletableFuture<T> out = new CompletableFuture<>();
    Scheduler.Cancellable timer = scheduler.schedule(timeout,
        () -> out.completeExceptionally(DhtException.deadlineExceeded(what + " timed out after " + timeout)));
    f.whenComplete((v, e) -> {
      timer.cancel();
      if (e == null) {
        out.complete(v);
      } else {
        out.completeExceptionally(unwrap(e));
      }
    });
    return out;
  }

  /** The failure itself, without the CompletionException that dependent stages wrap it in. */
  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  /** A future that fails with {@code f}'s unwrapped failure, so callers see the DhtException. */
  static <T> CompletableFuture<T> unwrapped(CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete((v, e) -> {
      if (e == null) {
        out.complete(v);
      } else {
        out.completeExceptionally(unwrap(e));
      }
    });
    return out;
  }
}
