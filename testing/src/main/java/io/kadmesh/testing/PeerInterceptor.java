package io.kadmesh.testing;

import io.grpc.ClientInterceptor;
import java.util.function.Supplier;

/** Puts an interceptor on each peer channel of a {@link GrpcMesh}'s members (bench's counting). */
@FunctionalInterface
public interface PeerInterceptor {
  /**
   * The interceptor for the channel from a member to {@code callee}; {@code sender} answers the
   * member's advertised address, "?" while it is still starting.
   */
  ClientInterceptor forChannel(Supplier<String> sender, String callee);
}
