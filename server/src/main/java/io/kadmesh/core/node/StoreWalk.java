package io.kadmesh.core.node;

import io.kadmesh.core.Scheduler;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.StoredKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A maintenance pass over every record held (republish, leave, hand-off) that holds one page of
 * {@link RecordStore#SCAN_BATCH} records in heap at a time: each page is read as blocking work
 * ({@link Scheduler#executeBlocking}), never on the scheduler's thread, its records' jobs run
 * through {@link Throttle}, and the next page is read once they have all finished.
 */
final class StoreWalk {
  private final RecordStore store;
  private final Scheduler scheduler;
  private final int parallelism;
  private final Predicate<ValueRecord> wanted;
  private final Function<ValueRecord, CompletableFuture<?>> job;
  private final BooleanSupplier keepGoing;
  private final CompletableFuture<Integer> done = new CompletableFuture<>();
  private int succeeded;

  private StoreWalk(RecordStore store, Scheduler scheduler, int parallelism,
      Predicate<ValueRecord> wanted, Function<ValueRecord, CompletableFuture<?>> job,
      BooleanSupplier keepGoing) {
    this.store = store;
    this.scheduler = scheduler;
    this.parallelism = parallelism;
    this.wanted = wanted;
    this.job = job;
    this.keepGoing = keepGoing;
  }

  /**
   * Runs {@code job} on each live record that is {@code wanted}, at most {@code parallelism} at
   * once, until the store is walked or {@code keepGoing} turns false (checked between pages);
   * completes with how many jobs succeeded, or exceptionally if the store failed.
   */
  static CompletableFuture<Integer> run(RecordStore store, Scheduler scheduler, int parallelism,
      Predicate<ValueRecord> wanted, Function<ValueRecord, CompletableFuture<?>> job,
      BooleanSupplier keepGoing) {
    StoreWalk walk = new StoreWalk(store, scheduler, parallelism, wanted, job, keepGoing);
    walk.pageAfter(null);
    return walk.done;
  }

  private void pageAfter(StoredKey after) {
    scheduler.executeBlocking(() -> {
      if (!keepGoing.getAsBoolean()) {
        done.complete(succeeded);
        return;
      }
      List<ValueRecord> page;
      try {
        page = store.scan(after, RecordStore.SCAN_BATCH, scheduler.now());
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
        return;
      }
      boolean last = page.size() < RecordStore.SCAN_BATCH;
      StoredKey lastKey = page.isEmpty() ? null : StoredKey.of(page.get(page.size() - 1));
      List<ValueRecord> due = page.stream().filter(wanted).toList();
      Throttle.forEach(due, parallelism, job).whenComplete((n, e) -> {
        synchronized (this) {
          succeeded += n;
        }
        if (last) {
          done.complete(succeeded);
        } else {
          pageAfter(lastKey);
        }
      });
    });
  }
}
