package io.kadmesh.it;

import io.kadmesh.testing.GrpcMesh;
import io.kadmesh.testing.GrpcTransport;
import io.kadmesh.testing.MeshBuilder;

/** The mesh scenarios over real gRPC on 127.0.0.1 with ephemeral ports. */
class NettyMeshTest extends MeshScenarios {
  @Override
  MeshBuilder<?, ?> meshBuilder() {
    return GrpcMesh.builder().transport(GrpcTransport.NETTY);
  }
}
