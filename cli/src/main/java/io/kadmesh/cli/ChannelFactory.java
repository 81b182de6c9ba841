package io.kadmesh.cli;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;

/** Opens the channel a command talks over; tests swap in the in-process transport. */
@FunctionalInterface
public interface ChannelFactory {

  /** Opens a channel to HOST:PORT; the caller shuts it down. */
  ManagedChannel open(String target);

  /** Plaintext gRPC over the network, as nodes serve it. */
  static ChannelFactory plaintext() {
    return target -> Grpc.newChannelBuilder(target, InsecureChannelCredentials.create()).build();
  }
}
