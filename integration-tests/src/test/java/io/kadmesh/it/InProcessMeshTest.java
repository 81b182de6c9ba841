package io.kadmesh.it;

/** The mesh scenarios over gRPC's in-process transport. */
class InProcessMeshTest extends MeshScenarios {
  @Override
  MeshTransport transport() {
    return MeshTransport.IN_PROCESS;
  }
}
