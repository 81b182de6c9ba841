package io.kadmesh.client.resolver;

import io.grpc.ChannelLogger;
import io.grpc.ChannelLogger.ChannelLogLevel;
import io.grpc.EquivalentAddressGroup;
import io.grpc.ManagedChannel;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import io.grpc.SynchronizationContext.ScheduledHandle;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchRequest;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A name resolver fed by a watch, as etcd's naming resolver is: it keeps one {@code Dht.Watch} of
 * the service open on a node and publishes the endpoint set after the stream's SYNCED and after
 * every later change. An empty set is published as UNAVAILABLE naming the service, so that calls
 * fail with a reason. A failed stream is reported and opened again with exponential backoff.
 *
 * <p>Every field is touched only inside the channel's synchronization context: the stream's
 * callbacks hop into it, and each one first checks that its stream is still the current one.
 */
final class KadmeshNameResolver extends NameResolver {

  private final KadmeshTarget target;
  private final SynchronizationContext syncContext;
  private final ScheduledExecutorService timer;
  private final ChannelLogger logger;
  private final Function<String, ManagedChannel> channels;
  private final ReconnectBackoff backoff;
  private final EndpointSet endpoints = new EndpointSet();

  private Listener2 listener;
  private ManagedChannel node;
  private WatchStream stream;
  private ScheduledHandle reconnect;
  private List<EquivalentAddressGroup> published;
  private boolean shutdown;

  KadmeshNameResolver(
      KadmeshTarget target,
      Args args,
      Function<String, ManagedChannel> channels,
      ReconnectBackoff backoff) {
    this.target = Objects.requireNonNull(target, "target");
    this.syncContext = Objects.requireNonNull(args.getSynchronizationContext(), "syncContext");
    this.timer = Objects.requireNonNull(args.getScheduledExecutorService(), "scheduledExecutorService");
    this.logger = args.getChannelLogger();
    this.channels = Objects.requireNonNull(channels, "channels");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  @Override
  public String getServiceAuthority() {
    return target.service();
  }

  @Override
  public void start(Listener2 listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    this.listener = Objects.requireNonNull(listener, "listener");
    syncContext.execute(
        () -> {
          if (!shutdown) {
            node = channels.apply(target.nodeAddress());
            watch();
          }
        });
  }

  /**
   * Opens the watch at once if it is down (waiting out a backoff). A live stream already delivers
   * every change, so it is left alone: gRPC calls refresh whenever a backend fails or an empty set
   * is reported, and reopening then would only churn the node's subscriptions.
   */
  @Override
  public void refresh() {
    syncContext.execute(
        () -> {
          if (shutdown || node == null || stream != null) {
            return;
          }
          if (reconnect != null) {
            reconnect.cancel();
            reconnect = null;
          }
          watch();
        });
  }

  @Override
  public void shutdown() {
    syncContext.execute(
        () -> {
          if (shutdown) {
            return;
          }
          shutdown = true;
          if (reconnect != null) {
            reconnect.cancel();
            reconnect = null;
          }
          if (stream != null) {
            stream.cancel();
            stream = null;
          }
          if (node != null) {
            node.shutdownNow();
          }
        });
  }

  private void watch() {
    endpoints.restart();
    stream = new WatchStream();
    WatchRequest request = WatchRequest.newBuilder().setService(target.service()).build();
    // No deadline: the watch lives as long as the channel. A node that goes away ends it with
    // UNAVAILABLE, and the stream is opened again.
    DhtGrpc.newStub(node).watch(request, stream);
  }

  private void onChange(WatchStream from, EndpointChange change) {
    if (from != stream) {
      return;
    }
    if (change.unusableBecause() != null) {
      logger.log(ChannelLogLevel.WARNING, "kadmesh: service {0}: {1}", target.service(), change.unusableBecause());
    }
    switch (endpoints.apply(change)) {
      case HOLD -> {}
      case CHANGED -> publishIfChanged();
      case SYNCED -> {
        backoff.reset();
        publish();
      }
    }
  }

  private void publishIfChanged() {
    if (!endpoints.addressGroups().equals(published)) {
      publish();
    }
  }

  private void publish() {
    List<EquivalentAddressGroup> groups = endpoints.addressGroups();
    published = groups;
    StatusOr<List<EquivalentAddressGroup>> addresses;
    if (groups.isEmpty()) {
      List<String> unusable = endpoints.unusable();
      String description =
          unusable.isEmpty()
              ? "no endpoints announced for " + target.service()
              : "no usable endpoints announced for " + target.service() + ": " + String.join("; ", unusable);
      addresses = StatusOr.fromStatus(Status.UNAVAILABLE.withDescription(description));
    } else {
      addresses = StatusOr.fromValue(groups);
    }
    listener.onResult2(ResolutionResult.newBuilder().setAddressesOrError(addresses).build());
  }

  private void onStreamEnded(WatchStream from, Status status) {
    if (from != stream) {
      return;
    }
    stream = null;
    String reason = status.getDescription() == null ? "" : ": " + status.getDescription();
    // The channel keeps the endpoints it has (gRPC treats a resolver error so); calls go on
    // reaching them while the watch is down.
    listener.onError(
        Status.UNAVAILABLE
            .withDescription(
                "kadmesh: watch of service " + target.service() + " at node " + target.nodeAddress()
                    + " ended with " + status.getCode() + reason)
            .withCause(status.getCause()));
    long delay = backoff.nextDelayNanos();
    reconnect =
        syncContext.schedule(
            () -> {
              reconnect = null;
              if (!shutdown && stream == null) {
                watch();
              }
            },
            delay,
            TimeUnit.NANOSECONDS,
            timer);
  }

  /** One watch call: its events go to the resolver only while it is the current stream. */
  private final class WatchStream implements ClientResponseObserver<WatchRequest, WatchEvent> {

    private ClientCallStreamObserver<WatchRequest> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> call) {
      this.call = call;
    }

    @Override
    public void onNext(WatchEvent event) {
      // Converted here, on the call's executor, because an address may need a host lookup.
      EndpointChange change = EndpointChange.of(event);
      syncContext.execute(() -> onChange(this, change));
    }

    @Override
    public void onError(Throwable failure) {
      Status status = Status.fromThrowable(failure);
      syncContext.execute(() -> onStreamEnded(this, status));
    }

    @Override
    public void onCompleted() {
      Status status = Status.UNAVAILABLE.withDescription("the node ended the watch");
      syncContext.execute(() -> onStreamEnded(this, status));
    }

    void cancel() {
      call.cancel("the name resolver shut down", null);
    }
  }
}
