package io.kadmesh.server.grpc;

import io.kadmesh.server.HostPort;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kadmesh.core.NodeConfig;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Production gRPC over Netty: servers bound to one address, channels to peers; plaintext unless
 * given TLS credentials ({@link NodeTls}).
 *
 * <p>With {@code direct}, calls and their answers are handled on Netty's event-loop threads, with
 * no hand-off to an executor: a node's handlers and lookups never block, and the hand-offs cost
 * about half of a loopback call (measured on a 2-core machine: p50 0.1 ms with executors, 0.045 ms without). The one exception is a store that fsyncs each write
 * ({@code --sync-writes}); such a node must pass {@code direct = false} so that no event loop
 * waits on the disk (its peer channels then answer on gRPC's default executor), and give the node
 * a bounded {@link CallExecutor}, which its servers' calls run on: gRPC's default executor starts a
 * thread for every call that finds the others busy, so a flood of calls would grow the threads
 * without bound.
 */
public final class NettyEndpoints {
  private NettyEndpoints() {}

  /** A plaintext server bound to exactly this address (not every interface). */
  public static NettyServerBuilder server(HostPort address, boolean direct) {
    return server(address, direct, InsecureServerCredentials.create());
  }

  /** A server bound to exactly this address (not every interface), with these credentials. */
  public static NettyServerBuilder server(HostPort address, boolean direct, ServerCredentials credentials) {
    NettyServerBuilder builder = NettyServerBuilder
        .forAddress(address.toSocketAddress(), credentials)
        // Peers and sidecar apps hold long-lived connections; let idle ones keep alive cheaply.
        .permitKeepAliveTime(30, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    return direct ? builder.directExecutor() : builder;
  }

  /** Opens plaintext channels to peers' HOST:PORT, each as {@link #peerChannel} configures it. */
  public static Function<String, ManagedChannel> peerChannels(boolean direct, NodeConfig config) {
    return peerChannels(direct, config, InsecureChannelCredentials.create());
  }

  /** Opens channels to peers' HOST:PORT with these credentials, each as {@link #peerChannel} configures it. */
  public static Function<String, ManagedChannel> peerChannels(boolean direct, NodeConfig config,
      ChannelCredentials credentials) {
    return address -> peerChannel(address, direct, config, credentials).build();
  }

  /** A plaintext channel to one peer; see the next. */
  public static NettyChannelBuilder peerChannel(String address, boolean direct, NodeConfig config) {
    return peerChannel(address, direct, config, InsecureChannelCredentials.create());
  }

  /**
   * A channel to one peer, to configure further (interceptors) before building: the one place
   * where peer channels are made, so that every one of them (a node's, the bench's, a test mesh's)
   * takes in answers no larger than {@link MessageLimits#maxInboundBytes} and a peer cannot make
   * its caller buffer megabytes.
   */
  public static NettyChannelBuilder peerChannel(String address, boolean direct, NodeConfig config,
      ChannelCredentials credentials) {
    NettyChannelBuilder builder = NettyChannelBuilder
        .forTarget(HostPort.parse(address).toString(), credentials)
        .maxInboundMessageSize(MessageLimits.maxInboundBytes(config));
    return direct ? builder.directExecutor() : builder;
  }
}
