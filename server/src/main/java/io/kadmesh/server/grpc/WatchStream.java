package io.kadmesh.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.ServerCallStreamObserver;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.watch.WatchListener;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchEventType;
import io.kadmesh.records.EndpointEntry;
import java.util.ArrayDeque;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Dht.Watch stream: listens to the node's watch of a key or service, encodes each event and
 * sends it as fast as the client reads (flow control: {@code isReady} / {@code onReady}), holding
 * at most {@code maxQueued} events meanwhile. A client that falls further behind does not make the
 * node hold more: its queue is replaced by RESYNC, then the current state and SYNCED, which a new
 * listener of the same watch receives. Cancellation (or the end of the call) stops listening.
 */
final class WatchStream {
  private static final Logger log = LoggerFactory.getLogger(WatchStream.class);
  private static final WatchEvent RESYNC =
      WatchEvent.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_RESYNC).build();

  private final KademliaNode node;
  private final NodeId key;
  private final RecordKind kind;
  private final ServerCallStreamObserver<WatchEvent> call;
  private final int maxQueued;
  private final Runnable onEnd;
  /** Guarded by this, like every mutable field below. */
  private final ArrayDeque<WatchEvent> queue = new ArrayDeque<>();
  /** Which listener's events count: a collapse replaces the listener, and the old one's are dropped. */
  private int generation;
  /** Set after a collapse until the new listener's SYNCED: its state is let in whole. */
  private boolean collapsing;
  private AutoCloseable handle;
  private boolean ended;

  WatchStream(KademliaNode node, NodeId key, RecordKind kind,
      ServerCallStreamObserver<WatchEvent> call, int maxQueued, Runnable onEnd) {
    this.node = node;
    this.key = key;
    this.kind = kind;
    this.call = call;
    this.maxQueued = maxQueued;
    this.onEnd = onEnd;
  }

  /** Starts listening; the handlers are set before the first event can be sent. */
  void start() {
    call.setOnCancelHandler(this::end);
    call.setOnReadyHandler(this::drain);
    synchronized (this) {
      handle = node.watch(key, kind, listener(generation));
    }
  }

  private WatchListener listener(int of) {
    return event -> received(of, event);
  }

  private synchronized void received(int of, io.kadmesh.core.watch.WatchEvent event) {
    if (ended || of != generation) return;
    if (collapsing && event.type() == io.kadmesh.core.watch.WatchEvent.Type.SYNCED) {
      collapsing = false;
    }
    queue.add(encode(event));
    if (!collapsing && queue.size() > maxQueued) {
      collapse();
    }
    drain();
  }

  /** Guarded by this: replaces what the client has not read by RESYNC and a fresh state. */
  private void collapse() {
    log.debug("a watch stream fell {} events behind: collapsing it into a resync", queue.size());
    queue.clear();
    queue.add(RESYNC);
    collapsing = true;
    AutoCloseable old = handle;
    generation++;
    // The new listener first, so that the shared watch does not stop in between; it is told the
    // state and SYNCED at once, into this queue (the lock is held: it is this thread's).
    handle = node.watch(key, kind, listener(generation));
    closeQuietly(old);
  }

  private synchronized void drain() {
    while (!ended && call.isReady() && !queue.isEmpty()) {
      call.onNext(queue.poll());
    }
  }

  /** Ends the stream from this side (the node is stopping): the client gets {@code status}. */
  void finish(io.grpc.Status status) {
    synchronized (this) {
      if (ended) return;
      try {
        call.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        // The call ended meanwhile: nothing to tell.
      }
    }
    end();
  }

  private void end() {
    AutoCloseable h;
    synchronized (this) {
      if (ended) return;
      ended = true;
      queue.clear();
      h = handle;
    }
    closeQuietly(h);
    onEnd.run();
  }

  private static void closeQuietly(AutoCloseable handle) {
    if (handle == null) return;
    try {
      handle.close();
    } catch (Exception e) {
      log.warn("closing a watch failed", e);
    }
  }

  /** A core event as the wire's WatchEvent (an endpoint's entry decoded into an Endpoint). */
  static WatchEvent encode(io.kadmesh.core.watch.WatchEvent event) {
    WatchEvent.Builder wire = WatchEvent.newBuilder();
    ValueRecord r = event.record();
    switch (event.type()) {
      case VALUE -> wire.setType(WatchEventType.WATCH_EVENT_TYPE_VALUE)
          .setValue(ByteString.copyFrom(r.valueUnsafe()))
          .setVersion(ProtoCodec.encode(r.version()))
          .setExpiresAt(ProtoCodec.encode(r.expiresAt()));
      case DELETED -> {
        wire.setType(WatchEventType.WATCH_EVENT_TYPE_DELETED);
        if (r != null) wire.setVersion(ProtoCodec.encode(r.version()));
      }
      case ENDPOINT_ADDED -> wire.setType(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED)
          .setEndpoint(EndpointMessages.encode(r));
      case ENDPOINT_UPDATED -> wire.setType(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_UPDATED)
          .setEndpoint(EndpointMessages.encode(r));
      case ENDPOINT_REMOVED -> wire.setType(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_REMOVED)
          .setEndpoint(EndpointMessages.encode(r));
      case SYNCED -> wire.setType(WatchEventType.WATCH_EVENT_TYPE_SYNCED);
      case RESYNC -> wire.setType(WatchEventType.WATCH_EVENT_TYPE_RESYNC);
    }
    return wire.build();
  }
}
