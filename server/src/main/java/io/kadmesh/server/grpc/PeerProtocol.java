package io.kadmesh.server.grpc;

/** Facts of the peer protocol that both the serving and the calling side must agree on. */
final class PeerProtocol {
  /** The version of the Kademlia service's messages this node speaks. */
  static final int VERSION = 1;

  private PeerProtocol() {}
}
