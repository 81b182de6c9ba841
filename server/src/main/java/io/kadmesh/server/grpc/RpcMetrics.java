package io.kadmesh.server.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kadmesh.server.metrics.RecentFailures;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the calls one gRPC port handles, by method and status code, and times them:
 * {@code kadmesh_<port>_requests_total{method,code}} and
 * {@code kadmesh_<port>_request_duration_seconds{method}}. Method is the RPC's short name (Put,
 * FindNode), code the gRPC status code's name (OK, NOT_FOUND); a call the client cancels counts as
 * CANCELLED. Unknown methods never reach an interceptor, so the labels stay few.
 *
 * <p>Every call it answers with a status other than OK also goes to {@link RecentFailures} with
 * its message, for the dashboard. A call the caller cancelled (a Watch it is done with, a lookup
 * that had its answer from others, a deadline the caller set) is counted, as CANCELLED, but is not
 * listed: the node answered nothing wrong, and lookups cancel such calls all the time.
 */
final class RpcMetrics implements ServerInterceptor {
  private final CallCounts counts;
  private final String port;
  private final RecentFailures failures;

  private RpcMetrics(Counter requests, Histogram duration, String port, RecentFailures failures) {
    this.counts = new CallCounts(requests, duration);
    this.port = port;
    this.failures = failures;
  }

  /** The interceptor of one port, {@code port} being "api" or "peer" (the families' infix). */
  static RpcMetrics forPort(String port, String description, PrometheusRegistry registry,
      RecentFailures failures) {
    Counter requests = Counter.builder()
        .name("kadmesh_" + port + "_requests_total")
        .help("Calls " + description + " handled, by method and gRPC status code.")
        .labelNames("method", "code")
        .register(registry);
    Histogram duration = Histogram.builder()
        .name("kadmesh_" + port + "_request_duration_seconds")
        .help("Time from the arrival of a call " + description + " handled to its status, by method.")
        .labelNames("method")
        .classicOnly()
        .register(registry);
    return new RpcMetrics(requests, duration, port, failures);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    String name = method == null ? call.getMethodDescriptor().getFullMethodName() : method;
    long started = System.nanoTime();
    AtomicBoolean done = new AtomicBoolean();
    ServerCall<Q, R> counted = new SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        if (finish(name, status.getCode(), started, done) && !status.isOk()) {
          failures.add(port, name, status.getCode().name(), status.getDescription());
        }
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener = next.startCall(counted, headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        finish(name, Status.Code.CANCELLED, started, done);
        super.onCancel();
      }
    };
  }

  /** Counts the call once, whichever of close and cancel comes first; true for the first. */
  private boolean finish(String method, Status.Code code, long started, AtomicBoolean done) {
    if (!done.compareAndSet(false, true)) {
      return false;
    }
    counts.record(method, code, System.nanoTime() - started);
    return true;
  }
}
