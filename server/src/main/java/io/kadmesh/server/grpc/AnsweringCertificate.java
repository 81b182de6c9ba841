package io.kadmesh.server.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.kadmesh.core.NodeId;
import java.util.Optional;

/**
 * For one call to a peer: the node ID named by the certificate the peer presented (read from the
 * call's TLS session once its response headers arrive), so that the answer's responder can be
 * held to it. Empty over plaintext.
 */
final class AnsweringCertificate implements ClientInterceptor {
  private volatile Optional<NodeId> id = Optional.empty();
  private volatile IllegalArgumentException unnamed;

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(
      MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<RespT> listener, Metadata headers) {
        ClientCall<ReqT, RespT> call = this;
        super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
          @Override
          public void onHeaders(Metadata responseHeaders) {
            try {
              id = CertificateIdentity.ofPeer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
            } catch (IllegalArgumentException e) {
              unnamed = e;
            }
            super.onHeaders(responseHeaders);
          }
        }, headers);
      }
    };
  }

  /**
   * Fails unless the answer's responder is the node the peer's certificate names (over TLS): a
   * peer cannot answer under another node's ID.
   */
  void check(NodeId responder) {
    if (unnamed != null) {
      throw new WireFormatException("the peer's " + unnamed.getMessage());
    }
    Optional<NodeId> certified = id;
    if (certified.isPresent() && !certified.get().equals(responder)) {
      throw new WireFormatException("the peer's certificate names node " + certified.get().shortHex()
          + " but it answered as " + responder.shortHex());
    }
  }
}
