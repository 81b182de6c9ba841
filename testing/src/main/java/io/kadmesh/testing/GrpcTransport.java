package io.kadmesh.testing;

import io.grpc.ManagedChannelBuilder;
import io.grpc.ServerBuilder;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.server.HostPort;
import io.kadmesh.server.grpc.NettyEndpoints;
import java.util.UUID;

/** How the members of a {@link GrpcMesh} talk, to each other and to their clients. */
public enum GrpcTransport {
  /** gRPC within the JVM: fast, no sockets. */
  IN_PROCESS {
    @Override
    Endpoint endpoint(String role) {
      // In-process names are global to the JVM; a random host keeps meshes apart.
      String address = "inproc-" + role + "-" + UUID.randomUUID().toString().substring(0, 8) + ":1";
      return new Endpoint(InProcessServerBuilder.forName(address), address);
    }

    @Override
    ManagedChannelBuilder<?> peerChannel(String address, NodeConfig config) {
      // In-process calls hand messages over as objects, never framed bytes: no size to limit.
      return InProcessChannelBuilder.forName(address);
    }

    @Override
    ManagedChannelBuilder<?> apiChannel(String address) {
      return InProcessChannelBuilder.forName(address);
    }
  },
  /** Production gRPC over Netty on 127.0.0.1, ephemeral ports, event-loop executors. */
  NETTY {
    @Override
    Endpoint endpoint(String role) {
      HostPort any = new HostPort("127.0.0.1", 0);
      return new Endpoint(NettyEndpoints.server(any, true), any.toString());
    }

    @Override
    ManagedChannelBuilder<?> peerChannel(String address, NodeConfig config) {
      return NettyEndpoints.peerChannel(address, true, config);
    }

    @Override
    ManagedChannelBuilder<?> apiChannel(String address) {
      return NettyChannelBuilder.forTarget(address).usePlaintext();
    }
  };

  /** A server to bind and the address it binds (port 0 is filled in once bound). */
  record Endpoint(ServerBuilder<?> builder, String address) {}

  abstract Endpoint endpoint(String role);

  /** A channel from a member configured with {@code config} to the peer at {@code address}. */
  abstract ManagedChannelBuilder<?> peerChannel(String address, NodeConfig config);

  abstract ManagedChannelBuilder<?> apiChannel(String address);
}
