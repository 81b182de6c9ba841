package io.kadmesh.server.xds;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The ADS streams open on the node: gives each call a {@link Stream} that the discovery callbacks
 * find in the call's {@link Context} (java-control-plane tells them a stream ID, but not when a
 * client cancels), tells {@code onEnd} when the call ends however it ends, and can end every stream
 * from this side when the node stops.
 */
final class XdsStreams implements ServerInterceptor {
  private static final Context.Key<Stream> STREAM = Context.key("kadmesh-xds-stream");

  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private final Consumer<Stream> onEnd;

  XdsStreams(Consumer<Stream> onEnd) {
    this.onEnd = onEnd;
  }

  /** The stream whose request is being handled on this thread, or null outside one. */
  static Stream current() {
    return STREAM.get();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call,
      Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Stream stream = new Stream();
    Closable<ReqT, RespT> closable = new Closable<>(call);
    stream.call = closable;
    open.add(stream);
    ServerCall.Listener<ReqT> listener =
        Contexts.interceptCall(Context.current().withValue(STREAM, stream), closable, headers, next);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          ended(stream);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          ended(stream);
        }
      }
    };
  }

  private void ended(Stream stream) {
    if (open.remove(stream)) {
      onEnd.accept(stream);
    }
  }

  /** Ends every open stream with {@code status}: the node is stopping. */
  void endAll(Status status) {
    for (Stream stream : List.copyOf(open)) {
      stream.call.end(status);
      ended(stream);
    }
  }

  /** How many streams are open. */
  int size() {
    return open.size();
  }

  /** One ADS call, as the bookkeeping knows it: an identity, and the way to end it. */
  static final class Stream {
    private Closable<?, ?> call;
  }

  /**
   * The call, made safe to end from another thread: the control plane sends on it from its own,
   * and a ServerCall takes one caller at a time. After the end, what it sends is dropped.
   */
  private static final class Closable<ReqT, RespT> extends SimpleForwardingServerCall<ReqT, RespT> {
    private boolean closed;

    Closable(ServerCall<ReqT, RespT> call) {
      super(call);
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!closed) super.sendHeaders(headers);
    }

    @Override
    public synchronized void sendMessage(RespT message) {
      if (!closed) super.sendMessage(message);
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (closed) return;
      closed = true;
      super.close(status, trailers);
    }

    void end(Status status) {
      close(status, new Metadata());
    }
  }
}
