package io.kadmesh.client.testing;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Fake services served on the in-process transport under a unique name, and channels to them. */
public final class InProcessNode implements AutoCloseable {

  private final String name;
  private final Server server;
  private final List<ManagedChannel> channels = new CopyOnWriteArrayList<>();

  private InProcessNode(String name, Server server) {
    this.name = name;
    this.server = server;
  }

  public static InProcessNode serve(BindableService... services) {
    String name = InProcessServerBuilder.generateName();
    InProcessServerBuilder builder = InProcessServerBuilder.forName(name).directExecutor();
    for (BindableService service : services) {
      builder.addService(service);
    }
    try {
      return new InProcessNode(name, builder.build().start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new channel to the services; closed with the node. */
  public ManagedChannel newChannel() {
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(channel);
    return channel;
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    server.shutdownNow();
  }
}
