package io.kadmesh.client;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.WatchRequest;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A running watch: closing it cancels the stream, and its listener hears nothing more. */
public final class WatchHandle implements AutoCloseable {
  private static final HexFormat HEX = HexFormat.of();

  private final WatchListener listener;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile ClientCallStreamObserver<WatchRequest> call;
  private volatile boolean closed;

  WatchHandle(WatchListener listener) {
    this.listener = listener;
  }

  /** Waits until the watch ended (closed or failed); false when {@code timeout} passed first. */
  public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
    return ended.await(timeout, unit);
  }

  /** Stops the watch. Idempotent. */
  @Override
  public void close() {
    closed = true;
    ClientCallStreamObserver<WatchRequest> c = call;
    if (c != null) c.cancel("closed by the client", null);
    ended.countDown();
  }

  /** The stream's observer: converts each event and hands it to the listener. */
  ClientResponseObserver<WatchRequest, io.kadmesh.proto.v1.WatchEvent> observer() {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
        call = requestStream;
      }

      @Override
      public void onNext(io.kadmesh.proto.v1.WatchEvent event) {
        if (!closed) listener.onEvent(convert(event));
      }

      @Override
      public void onError(Throwable t) {
        if (!closed) listener.onError(KadmeshException.from(t));
        ended.countDown();
      }

      @Override
      public void onCompleted() {
        ended.countDown();
      }
    };
  }

  static WatchEvent convert(io.kadmesh.proto.v1.WatchEvent e) {
    WatchEvent.Type type = switch (e.getType()) {
      case WATCH_EVENT_TYPE_VALUE -> WatchEvent.Type.VALUE;
      case WATCH_EVENT_TYPE_DELETED -> WatchEvent.Type.DELETED;
      case WATCH_EVENT_TYPE_ENDPOINT_ADDED -> WatchEvent.Type.ENDPOINT_ADDED;
      case WATCH_EVENT_TYPE_ENDPOINT_UPDATED -> WatchEvent.Type.ENDPOINT_UPDATED;
      case WATCH_EVENT_TYPE_ENDPOINT_REMOVED -> WatchEvent.Type.ENDPOINT_REMOVED;
      case WATCH_EVENT_TYPE_SYNCED -> WatchEvent.Type.SYNCED;
      // A type this client does not know yet: the safe reading is "the state may have changed".
      default -> WatchEvent.Type.RESYNC;
    };
    return new WatchEvent(type, e.getValue().toByteArray(),
        e.hasVersion() ? ProtoConversions.version(e.getVersion()) : null,
        ProtoConversions.instantOrNull(e.hasExpiresAt(), e.getExpiresAt()),
        e.hasEndpoint() ? endpoint(e.getEndpoint()) : null);
  }

  private static ServiceEndpoint endpoint(Endpoint e) {
    return ServiceEndpoint.of(e.getAddress(), e.getMetadataMap(),
        HEX.formatHex(e.getAnnouncer().toByteArray()), HEX.formatHex(e.getAnnouncerKey().toByteArray()),
        ProtoConversions.instant(e.getExpiresAt()));
  }
}
