package io.kadmesh.core;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a bootstrap address into the peer addresses it stands for: a DNS name with many addresses
 * (a Kubernetes headless service names each of its pods) stands for every one of them, so that a
 * join pings them all instead of the one a channel to the name would reach. The core does no I/O:
 * the server gives it a DNS resolver, tests and the simulator the {@link #IDENTITY}.
 */
@FunctionalInterface
public interface AddressResolver {

  /** Each address stands for itself: in-memory networks, tests, the simulator. */
  AddressResolver IDENTITY = address -> CompletableFuture.completedFuture(List.of(address));

  /**
   * The HOST:PORT addresses that {@code address} (HOST:PORT) stands for, at least one; may fail
   * when the name does not resolve.
   */
  CompletableFuture<List<String>> resolve(String address);
}
