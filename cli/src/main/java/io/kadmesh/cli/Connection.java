package io.kadmesh.cli;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.kadmesh.client.KadmeshClient;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** One command's channel to a node, closed when the command is done. */
final class Connection implements AutoCloseable {

  private final ManagedChannel channel;
  private final Duration timeout;

  private Connection(ManagedChannel channel, Duration timeout) {
    this.channel = channel;
    this.timeout = timeout;
  }

  static Connection open(CliContext context, String target, Duration timeout) {
    return new Connection(context.channels().open(target), timeout);
  }

  KadmeshClient client() {
    return KadmeshClient.over(channel).withTimeout(timeout);
  }

  Channel channel() {
    return channel;
  }

  // The command's calls have all finished by now; nothing is left to drain.
  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
