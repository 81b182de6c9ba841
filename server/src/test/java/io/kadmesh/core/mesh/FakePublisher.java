package io.kadmesh.core.mesh;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.Scheduler;
import io.kadmesh.records.EndpointEntry;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link EndpointPublisher} that records what it is asked to publish, and fails on demand. */
final class FakePublisher implements EndpointPublisher {
  /** One publication asked for, and when. */
  record Published(EndpointEntry entry, long seq, Instant expiresAt, boolean withdrawn, Instant at) {}

  final List<Published> published = new CopyOnWriteArrayList<>();
  private final Scheduler scheduler;
  private volatile boolean failing;
  private volatile int replicas = 3;

  FakePublisher(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void failing(boolean v) {
    failing = v;
  }

  void replicas(int v) {
    replicas = v;
  }

  @Override
  public CompletableFuture<Integer> publish(EndpointEntry entry, long seq, Instant expiresAt,
      boolean withdrawn) {
    published.add(new Published(entry, seq, expiresAt, withdrawn, scheduler.now()));
    return failing
        ? CompletableFuture.failedFuture(DhtException.unavailable("no live node could store it"))
        : CompletableFuture.completedFuture(replicas);
  }

  Published last() {
    return published.get(published.size() - 1);
  }

  List<Published> of(String endpoint) {
    return published.stream().filter(p -> p.entry().address().equals(endpoint)).toList();
  }
}
