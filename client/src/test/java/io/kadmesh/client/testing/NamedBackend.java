package io.kadmesh.client.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend of a test service on 127.0.0.1:0 whose one method answers the backend's own name, so
 * that a test sees which backend a load-balanced call reached.
 */
public final class NamedBackend implements AutoCloseable {

  /** {@code kadmesh.test.Named/Name}: an empty string in, the backend's name out. */
  public static final MethodDescriptor<String, String> NAME_METHOD =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName(MethodDescriptor.generateFullMethodName("kadmesh.test.Named", "Name"))
          .setRequestMarshaller(new Utf8Marshaller())
          .setResponseMarshaller(new Utf8Marshaller())
          .build();

  private final String name;
  private final Server server;
  private final AtomicLong calls = new AtomicLong();

  private NamedBackend(String name) {
    this.name = name;
    ServerServiceDefinition service =
        ServerServiceDefinition.builder("kadmesh.test.Named")
            .addMethod(
                NAME_METHOD,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      calls.incrementAndGet();
                      response.onNext(name);
                      response.onCompleted();
                    }))
            .build();
    try {
      this.server =
          NettyServerBuilder.forAddress(
                  new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
              .addService(service)
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts a backend that answers {@code name}. */
  public static NamedBackend start(String name) {
    return new NamedBackend(name);
  }

  /** Calls {@link #NAME_METHOD} over {@code channel} with a deadline: the name of the backend reached. */
  public static String callName(Channel channel, Duration deadline) {
    return ClientCalls.blockingUnaryCall(
        channel, NAME_METHOD, CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS), "");
  }

  public String name() {
    return name;
  }

  /** HOST:PORT, as an announcement gives it. */
  public String address() {
    return "127.0.0.1:" + server.getPort();
  }

  /** How many calls this backend answered. */
  public long calls() {
    return calls.get();
  }

  /** Stops taking calls at once. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Utf8Marshaller implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
