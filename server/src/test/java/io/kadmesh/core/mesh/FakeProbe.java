package io.kadmesh.core.mesh;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link HealthProbe} whose endpoints serve when a test says so; unknown ones do not answer. */
final class FakeProbe implements HealthProbe {
  final Map<String, Boolean> serving = new ConcurrentHashMap<>();
  final List<String> asked = new CopyOnWriteArrayList<>();
  final List<String> released = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public CompletableFuture<Boolean> isServing(String endpoint, String service, Duration timeout) {
    asked.add(endpoint + "/" + service);
    return CompletableFuture.completedFuture(serving.getOrDefault(endpoint, false));
  }

  @Override
  public void release(String endpoint) {
    released.add(endpoint);
  }

  @Override
  public void close() {
    closed = true;
  }
}
