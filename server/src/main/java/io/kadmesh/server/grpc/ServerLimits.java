package io.kadmesh.server.grpc;

import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.kadmesh.core.NodeConfig;

/**
 * The limits every server of a node applies to whoever connects, from the config: the largest
 * inbound message, concurrent calls per connection and connections per remote address. The
 * per-peer rate limit is the peer port's alone ({@link PeerRateLimiter}).
 */
final class ServerLimits {
  private ServerLimits() {}

  /** {@code builder} with the limits set; a Netty builder also bounds calls per connection. */
  static ServerBuilder<?> apply(ServerBuilder<?> builder, NodeConfig config) {
    builder.maxInboundMessageSize(MessageLimits.maxInboundBytes(config));
    if (builder instanceof NettyServerBuilder netty) {
      // An HTTP/2 setting: a client may not open more streams than this on one connection.
      netty.maxConcurrentCallsPerConnection(config.maxCallsPerConnection());
    }
    ConnectionLimiter connections = new ConnectionLimiter(config.maxConnectionsPerAddress(),
        config.exemptLoopback());
    return builder
        .addTransportFilter(connections.filter())
        .intercept(connections.interceptor());
  }
}
