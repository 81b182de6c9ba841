package io.kadmesh.cli.bench;

import io.kadmesh.client.KadmeshClient;
import io.kadmesh.testing.GrpcMesh;

/**
 * The nodes a {@link Workload} sends its operations to, by index: the members of a mesh in this
 * JVM, or {@code kadmesh node} processes, each through a client on its API port.
 */
interface BenchNodes {
  int size();

  KadmeshClient client(int i);

  /** The members of {@code mesh}. */
  static BenchNodes of(GrpcMesh mesh) {
    return new BenchNodes() {
      @Override
      public int size() {
        return mesh.size();
      }

      @Override
      public KadmeshClient client(int i) {
        return mesh.client(i);
      }
    };
  }
}
