package io.kadmesh.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.util.function.Function;

/**
 * gRPC within one JVM, for tests and simulations of whole meshes: the "address" of a node is its
 * in-process server name, written as HOST:PORT so that it passes the same validation as real ones.
 */
public final class InProcessEndpoints {
  private InProcessEndpoints() {}

  public static InProcessServerBuilder server(String address) {
    return InProcessServerBuilder.forName(address);
  }

  public static Function<String, ManagedChannel> peerChannels() {
    return address -> InProcessChannelBuilder.forName(address).build();
  }

  public static ManagedChannel channel(String address) {
    return InProcessChannelBuilder.forName(address).build();
  }
}
