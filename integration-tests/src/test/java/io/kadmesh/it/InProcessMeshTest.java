package io.kadmesh.it;

import io.kadmesh.testing.GrpcMesh;
import io.kadmesh.testing.GrpcTransport;
import io.kadmesh.testing.MeshBuilder;

/** The mesh scenarios over gRPC's in-process transport. */
class InProcessMeshTest extends MeshScenarios {
  @Override
  MeshBuilder<?, ?> meshBuilder() {
    return GrpcMesh.builder().transport(GrpcTransport.IN_PROCESS);
  }
}
