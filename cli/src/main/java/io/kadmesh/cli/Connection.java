package io.kadmesh.cli;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import io.kadmesh.tls.TlsFiles;
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

  static Connection open(CliContext context, String target, Duration timeout, TlsFiles tls,
      HostCheck check) {
    return new Connection(context.channels().open(target, tls, check), timeout);
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
