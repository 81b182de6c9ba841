package io.kadmesh.server.grpc;

import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** Production gRPC over Netty: servers bound to one address, plaintext channels to peers. */
public final class NettyEndpoints {
  private NettyEndpoints() {}

  /** A server bound to exactly this address (not every interface). */
  public static NettyServerBuilder server(HostPort address) {
    return NettyServerBuilder.forAddress(address.toSocketAddress(), InsecureServerCredentials.create())
        // Peers and sidecar apps hold long-lived connections; let idle ones keep alive cheaply.
        .permitKeepAliveTime(30, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
  }

  /** Opens a plaintext channel to a peer's HOST:PORT. */
  public static Function<String, ManagedChannel> peerChannels() {
    return address -> NettyChannelBuilder.forTarget(HostPort.parse(address).toString())
        .usePlaintext()
        .build();
  }
}
