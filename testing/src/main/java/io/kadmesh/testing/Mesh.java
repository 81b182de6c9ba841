package io.kadmesh.testing;

import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.core.node.KademliaNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * N kadmesh nodes started together in this JVM: member 0 runs alone, the others join one at a
 * time. Operations are addressed by member index and mean the same on every implementation, so a
 * scenario written once runs on each ({@link SimulatedMesh}, {@link GrpcMesh}).
 *
 * <p>Keys are application strings, checked and placed at SHA-256 of their UTF-8 bytes as the Dht
 * API does ({@link KademliaNode#keyOf}). A put, get or delete that fails throws the core's
 * {@link DhtException} with its {@link DhtException.Reason}, whatever the transport; an operation
 * through a member that is not running throws {@link IllegalStateException}.
 */
public interface Mesh extends AutoCloseable {
  /** Members ever added, crashed and stopped ones included: indexes run from 0 to size() - 1. */
  int size();

  /** The core of member {@code i}, for assertions on its routing table and store. */
  KademliaNode node(int i);

  boolean isRunning(int i);

  /** Indexes of the running members, in ascending order. */
  List<Integer> running();

  /** The configuration every member runs with, this mesh's network name included. */
  NodeConfig config();

  /** Stores {@code value} through member {@code i} for the default TTL. */
  default WriteAck put(int i, String key, byte[] value) {
    return put(i, key, value, null);
  }

  /** Stores {@code value} through member {@code i} for {@code ttl} (null: the default TTL). */
  WriteAck put(int i, String key, byte[] value, Duration ttl);

  /** Stores a string, encoded as UTF-8, for the default TTL. */
  default WriteAck put(int i, String key, String value) {
    return put(i, key, value.getBytes(StandardCharsets.UTF_8));
  }

  /** The newest live value of {@code key} through member {@code i}; empty if none or deleted. */
  Optional<Found> get(int i, String key);

  /** Writes a tombstone for {@code key} through member {@code i}. */
  WriteAck delete(int i, String key);

  /** Member {@code i} stops at once, as a crashed host does: no hand-off. No-op if not running. */
  void crash(int i);

  /** Member {@code i} leaves gracefully, handing its records over. No-op if not running. */
  void stop(int i);

  /** A newcomer that joins through a running member (awaited); answers its index. */
  int add();

  /**
   * Waits until {@code condition} holds, at most {@code limit}: the simulated mesh moves virtual
   * time forward meanwhile, the gRPC meshes poll on real time.
   *
   * @throws IllegalStateException if {@code limit} passed first
   */
  void awaitUntil(BooleanSupplier condition, Duration limit);

  /**
   * The value of a future of the core (for example {@code node(i).get(id, null)}), awaited as
   * {@link #awaitUntil} does, within the operation timeout and a margin.
   *
   * @throws DhtException if it failed with one
   */
  <T> T await(CompletableFuture<T> future);

  /** The mesh's time: virtual on the simulated mesh, the wall clock on the gRPC ones. */
  InstantSource clock();

  default Instant now() {
    return clock().instant();
  }

  /** Time passed on {@link #clock()} since the mesh finished starting. */
  Duration elapsed();

  /** Stops every member still running, without hand-off: the whole mesh goes at once. */
  @Override
  void close();

  /** The k running members closest to {@code key}, by the whole mesh's truth, closest first. */
  default List<Integer> closestRunning(NodeId key) {
    List<Integer> members = new ArrayList<>(running());
    members.sort(Comparator.comparing(i -> node(i).self().id(), key::compareDistance));
    return members.subList(0, Math.min(config().k(), members.size()));
  }

  /** Whether member {@code i}'s store holds {@code version} of {@code key}, or a newer one. */
  default boolean holds(int i, NodeId key, Version version) {
    return node(i).store().get(key, now()).map(ValueRecord::version)
        .filter(v -> !version.isNewerThan(v)).isPresent();
  }

  /** Running members holding {@code version} of {@code key} or a newer one. */
  default long runningCopies(NodeId key, Version version) {
    return running().stream().filter(i -> holds(i, key, version)).count();
  }
}
