package io.kadmesh.client;

import io.grpc.ManagedChannel;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel that {@link KadmeshClient#connect} opened, shared by the client it returned and every
 * client derived from it ({@link KadmeshClient#withTimeout}): each holds it until it is closed or,
 * dropped without a close, garbage collected; the last one to let go shuts the channel down.
 */
final class SharedChannel {
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final ManagedChannel channel;
  private final AtomicInteger holders = new AtomicInteger();

  SharedChannel(ManagedChannel channel) {
    this.channel = channel;
  }

  ManagedChannel channel() {
    return channel;
  }

  /**
   * Counts {@code client} among the holders until {@link Cleaner.Cleanable#clean} is called (its
   * close) or it becomes unreachable. The action holds this channel, never the client.
   */
  Cleaner.Cleanable hold(Object client) {
    holders.incrementAndGet();
    return Cleaners.CLEANER.register(client, this::release);
  }

  private void release() {
    if (holders.decrementAndGet() == 0) {
      // No wait here: this may run on the cleaner's thread; close() waits.
      channel.shutdown();
    }
  }

  /** Shuts the channel down whoever still holds it: the connected client's close. */
  void shutdown() {
    channel.shutdown();
  }

  /** If the channel is shutting down, waits briefly for the calls in flight, then cuts them. */
  void awaitIfShutdown() {
    if (!channel.isShutdown()) {
      return;
    }
    try {
      if (!channel.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      channel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** One cleaner thread for every shared channel, started by the first {@code connect}. */
  private static final class Cleaners {
    static final Cleaner CLEANER = Cleaner.create();
  }
}
