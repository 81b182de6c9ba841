package io.kadmesh.it;

import io.grpc.ManagedChannel;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kadmesh.server.grpc.HostPort;
import io.kadmesh.server.grpc.NettyEndpoints;
import java.util.UUID;
import java.util.function.Function;

/** How the nodes of a test mesh talk: the same scenarios run over both. */
enum MeshTransport {
  /** gRPC within the JVM: fast, no sockets. */
  IN_PROCESS {
    @Override
    Endpoint endpoint(String role) {
      // In-process names are global to the JVM; a random host keeps test classes apart.
      String address = "inproc-" + role + "-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
      return new Endpoint(InProcessServerBuilder.forName(address), address);
    }

    @Override
    Function<String, ManagedChannel> peerChannels() {
      return a -> InProcessChannelBuilder.forName(a).build();
    }

    @Override
    ManagedChannel apiChannel(String address) {
      return InProcessChannelBuilder.forName(address).build();
    }
  },
  /** Real gRPC over Netty on 127.0.0.1, ephemeral ports. */
  NETTY {
    @Override
    Endpoint endpoint(String role) {
      HostPort any = new HostPort("127.0.0.1", 0);
      return new Endpoint(NettyEndpoints.server(any, true), any.toString());
    }

    @Override
    Function<String, ManagedChannel> peerChannels() {
      return NettyEndpoints.peerChannels(true);
    }

    @Override
    ManagedChannel apiChannel(String address) {
      return NettyChannelBuilder.forTarget(address).usePlaintext().build();
    }
  };

  /** A server to bind and the address it binds (port 0 is filled in once bound). */
  record Endpoint(ServerBuilder<?> builder, String address) {}

  abstract Endpoint endpoint(String role);

  abstract Function<String, ManagedChannel> peerChannels();

  abstract ManagedChannel apiChannel(String address);
}
