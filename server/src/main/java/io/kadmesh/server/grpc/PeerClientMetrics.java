package io.kadmesh.server.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Counts the requests this node sends to peers, by method and status code, and times them:
 * {@code kadmesh_peer_client_requests_total{method,code}} and
 * {@code kadmesh_peer_client_request_duration_seconds{method}}. Method is the RPC's short name
 * (Ping, FindNode, FindValue, Store), code the gRPC status code's name; a request past its
 * deadline counts as DEADLINE_EXCEEDED, one that fails to connect as UNAVAILABLE.
 */
final class PeerClientMetrics implements ClientInterceptor {
  private final CallCounts counts;

  PeerClientMetrics(PrometheusRegistry registry) {
    Counter requests = Counter.builder()
        .name("kadmesh_peer_client_requests_total")
        .help("Requests this node sent to peers (Kademlia), by method and gRPC status code.")
        .labelNames("method", "code")
        .register(registry);
    Histogram duration = Histogram.builder()
        .name("kadmesh_peer_client_request_duration_seconds")
        .help("Time from sending a request to a peer to its status, by method.")
        .labelNames("method")
        .classicOnly()
        .register(registry);
    counts = new CallCounts(requests, duration);
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
      Channel next) {
    String bare = method.getBareMethodName();
    String name = bare == null ? method.getFullMethodName() : bare;
    return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        long started = System.nanoTime();
        super.start(new SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onClose(Status status, Metadata trailers) {
            counts.record(name, status.getCode(), System.nanoTime() - started);
            super.onClose(status, trailers);
          }
        }, headers);
      }
    };
  }
}
