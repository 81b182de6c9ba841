package io.kadmesh.it;

import io.kadmesh.testing.MeshBuilder;
import io.kadmesh.testing.SimulatedMesh;

/** The mesh scenarios on the in-memory network, on virtual time. */
class SimulatedMeshTest extends MeshScenarios {
  @Override
  MeshBuilder<?, ?> meshBuilder() {
    return SimulatedMesh.builder();
  }
}
