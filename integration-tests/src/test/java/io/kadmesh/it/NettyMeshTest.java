package io.kadmesh.it;

/** The mesh scenarios over real gRPC on 127.0.0.1 with ephemeral ports. */
class NettyMeshTest extends MeshScenarios {
  @Override
  MeshTransport transport() {
    return MeshTransport.NETTY;
  }
}
