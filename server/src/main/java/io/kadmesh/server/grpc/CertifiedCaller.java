package io.kadmesh.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kadmesh.core.NodeId;
import java.util.Optional;

/**
 * On the peer port under mutual TLS: derives the caller's node ID from the certificate it
 * presented ({@link CertificateIdentity}) and puts it in the call's context, where the Kademlia
 * service holds the request's sender to it. A certificate that names no node is refused
 * PERMISSION_DENIED; a call without TLS passes with no ID.
 */
final class CertifiedCaller implements ServerInterceptor {
  /** The ID the caller's certificate names, when it presented one. */
  static final Context.Key<NodeId> ID = Context.key("kadmesh-certified-caller");

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    Optional<NodeId> id;
    try {
      id = CertificateIdentity.ofPeer(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    } catch (IllegalArgumentException e) {
      call.close(Status.PERMISSION_DENIED.withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (id.isEmpty()) {
      return next.startCall(call, headers);
    }
    return Contexts.interceptCall(Context.current().withValue(ID, id.get()), call, headers, next);
  }

  /**
   * Fails PERMISSION_DENIED when the caller's certificate names another node than the request's
   * sender claims to be; a request without a sender (a tool such as {@code kadmesh ping}) or a
   * call without a certificate passes.
   */
  static void checkSender(NodeId claimed) {
    NodeId certified = ID.get();
    if (certified != null && claimed != null && !certified.equals(claimed)) {
      throw Status.PERMISSION_DENIED
          .withDescription("the certificate names node " + certified.toHex()
              + ", the request claims " + claimed.toHex())
          .asRuntimeException();
    }
  }
}
