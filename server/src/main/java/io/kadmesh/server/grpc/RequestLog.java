package io.kadmesh.server.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every application call a request ID and logs the slow ones. The ID is the caller's
 * {@code x-request-id} header when it sends a usable one (1 to 128 visible ASCII characters), else
 * a new one; it is in the logging MDC ({@value #MDC_KEY}) while the call's handler runs, and goes
 * back in the response headers (in the trailers of a call that fails before any header). A unary
 * call slower than the threshold logs one WARN line with the method, its status, its duration, the
 * hash prefix of the key it was about, and the request ID. Streams (Watch) are long by design and
 * are never called slow.
 */
final class RequestLog implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(RequestLog.class);

  /** The header a caller names its request with, and the node answers with. */
  static final Metadata.Key<String> REQUEST_ID =
      Metadata.Key.of("x-request-id", Metadata.ASCII_STRING_MARSHALLER);
  /** The MDC key of the request ID (a field of each JSON log line). */
  static final String MDC_KEY = "request_id";
  /** The longest request ID taken from a caller; a longer one is replaced. */
  static final int MAX_ID_LENGTH = 128;

  private final long thresholdNanos;
  private final LongSupplier nanoTime;
  private final Function<Object, Optional<String>> keyHash;

  /**
   * {@code keyHash}: the hash prefix of the key a request message is about, asked only for a slow
   * call; {@code nanoTime}: the clock calls are timed on ({@link System#nanoTime} but in tests).
   */
  RequestLog(Duration threshold, LongSupplier nanoTime, Function<Object, Optional<String>> keyHash) {
    if (threshold.isNegative() || threshold.isZero()) {
      throw new IllegalArgumentException("the slow-operation threshold must be positive, got " + threshold);
    }
    this.thresholdNanos = threshold.toNanos();
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    this.keyHash = Objects.requireNonNull(keyHash, "keyHash");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String id = usable(headers.get(REQUEST_ID)).orElseGet(RequestLog::newId);
    long started = nanoTime.getAsLong();
    boolean timed = call.getMethodDescriptor().getType() == MethodType.UNARY;
    // Set on the thread that reads the request, read on the one that closes the call.
    AtomicReference<Object> request = new AtomicReference<>();
    AtomicBoolean headersSent = new AtomicBoolean();
    ServerCall<Q, R> answering = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendHeaders(Metadata responseHeaders) {
        responseHeaders.put(REQUEST_ID, id);
        headersSent.set(true);
        super.sendHeaders(responseHeaders);
      }

      @Override
      public void close(Status status, Metadata trailers) {
        if (!headersSent.get()) {
          trailers.put(REQUEST_ID, id);
        }
        long nanos = nanoTime.getAsLong() - started;
        if (timed && nanos >= thresholdNanos) {
          logSlow(id, bareName(call), status, nanos, request.get());
        }
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener = inMdcGet(id, () -> next.startCall(answering, headers));
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        request.set(message);
        inMdc(id, () -> super.onMessage(message));
      }

      @Override
      public void onHalfClose() {
        inMdc(id, super::onHalfClose);
      }

      @Override
      public void onCancel() {
        inMdc(id, super::onCancel);
      }

      @Override
      public void onComplete() {
        inMdc(id, super::onComplete);
      }

      @Override
      public void onReady() {
        inMdc(id, super::onReady);
      }
    };
  }

  private void logSlow(String id, String method, Status status, long nanos, Object request) {
    String key = request == null ? "" : keyHash.apply(request).map(k -> ", key " + k).orElse("");
    inMdc(id, () -> log.warn("slow {}: {} ms, {}{}, request {}", method,
        String.format(Locale.ROOT, "%.1f", nanos / 1e6), status.getCode(), key, id));
  }

  /** The caller's request ID when it is 1 to 128 visible ASCII characters. */
  static Optional<String> usable(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return Optional.empty();
      }
    }
    return Optional.of(id);
  }

  /** 16 hex digits: unique enough to find one call's lines among a node's. */
  private static String newId() {
    return String.format(Locale.ROOT, "%016x", ThreadLocalRandom.current().nextLong());
  }

  private static String bareName(ServerCall<?, ?> call) {
    String bare = call.getMethodDescriptor().getBareMethodName();
    return bare == null ? call.getMethodDescriptor().getFullMethodName() : bare;
  }

  private static void inMdc(String id, Runnable work) {
    inMdcGet(id, () -> {
      work.run();
      return null;
    });
  }

  /** Runs {@code work} with the request ID in the MDC, then puts back what was there. */
  private static <T> T inMdcGet(String id, Supplier<T> work) {
    String before = MDC.get(MDC_KEY);
    MDC.put(MDC_KEY, id);
    try {
      return work.get();
    } finally {
      if (before == null) {
        MDC.remove(MDC_KEY);
      } else {
        MDC.put(MDC_KEY, before);
      }
    }
  }
}
