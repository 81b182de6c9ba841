package io.kadmesh.core;

import java.util.Objects;

/**
 * How a node is reached: its ID and the peer address it advertises (HOST:PORT). Immutable, so one
 * instance can be shared by every routing table and lookup that knows the node.
 */
public record Contact(NodeId id, String address) {
  public Contact {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(address, "address");
  }

  @Override
  public String toString() {
    return id.shortHex() + "@" + address;
  }
}
