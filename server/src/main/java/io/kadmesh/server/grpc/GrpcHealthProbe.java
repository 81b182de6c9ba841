package io.kadmesh.server.grpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.kadmesh.core.mesh.HealthProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Checks announced endpoints with grpc.health.v1's {@code Health.Check}: one channel per endpoint,
 * reused by every check of it, shut down when the announcer releases the endpoint or the probe
 * closes.
 */
public final class GrpcHealthProbe implements HealthProbe {
  /** A health answer is a few bytes: an endpoint that sends more is not answering health. */
  private static final int MAX_ANSWER_BYTES = 4096;

  private final Function<String, ManagedChannel> channels;
  private final Map<String, ManagedChannel> open = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Dials each endpoint through {@code channels} (tests: in-process). */
  public GrpcHealthProbe(Function<String, ManagedChannel> channels) {
    this.channels = channels;
  }

  /** Dials endpoints in plaintext over Netty, as Consul's agent checks the service beside it. */
  public static GrpcHealthProbe plaintext() {
    return new GrpcHealthProbe(endpoint -> NettyChannelBuilder
        .forTarget(endpoint, InsecureChannelCredentials.create())
        .maxInboundMessageSize(MAX_ANSWER_BYTES)
        .build());
  }

  @Override
  public CompletableFuture<Boolean> isServing(String endpoint, String service, Duration timeout) {
    if (closed) {
      return CompletableFuture.completedFuture(false);
    }
    ManagedChannel channel;
    try {
      channel = open.computeIfAbsent(endpoint, channels);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(false); // an address the channel builder refuses
    }
    CompletableFuture<Boolean> out = new CompletableFuture<>();
    Futures.addCallback(
        HealthGrpc.newFutureStub(channel)
            .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
            .check(HealthCheckRequest.newBuilder().setService(service).build()),
        new FutureCallback<HealthCheckResponse>() {
          @Override
          public void onSuccess(HealthCheckResponse answer) {
            out.complete(answer.getStatus() == HealthCheckResponse.ServingStatus.SERVING);
          }

          @Override
          public void onFailure(Throwable failure) {
            out.complete(false); // unreachable, too slow, or no such service: not serving
          }
        },
        MoreExecutors.directExecutor());
    return out;
  }

  @Override
  public void release(String endpoint) {
    ManagedChannel channel = open.remove(endpoint);
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  /** How many endpoints it holds a channel to (for tests). */
  int openChannels() {
    return open.size();
  }

  @Override
  public void close() {
    closed = true;
    for (String endpoint : List.copyOf(open.keySet())) {
      release(endpoint);
    }
  }
}
