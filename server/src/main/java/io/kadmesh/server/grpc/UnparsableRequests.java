package io.kadmesh.server.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers a request whose bytes do not parse as its message INVALID_ARGUMENT. grpc-java itself
 * lets the parse failure escape and answers UNKNOWN ("Application error processing RPC"), which
 * the contract rules out for anything a caller sent. Wraps a service's request marshallers so
 * that a parse failure reaches the call as a value, and closes the call there.
 */
final class UnparsableRequests {
  private UnparsableRequests() {}

  /** A request that did not parse, and why. */
  private record Unparsable(String reason) {}

  /** {@code service} with every method guarded; reflection still sees the same schema. */
  static ServerServiceDefinition guard(ServerServiceDefinition service) {
    ServiceDescriptor original = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      methods.add(guard(method));
    }
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(original.getName())
        .setSchemaDescriptor(original.getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder guarded = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(guarded::addMethod);
    return guarded.build();
  }

  private static <ReqT, RespT> ServerMethodDefinition<Object, RespT> guard(
      ServerMethodDefinition<ReqT, RespT> definition) {
    MethodDescriptor<ReqT, RespT> method = definition.getMethodDescriptor();
    MethodDescriptor.Marshaller<ReqT> requests = method.getRequestMarshaller();
    MethodDescriptor<Object, RespT> lenient = method.toBuilder(new MethodDescriptor.Marshaller<Object>() {
      @Override
      @SuppressWarnings("unchecked")
      public InputStream stream(Object value) {
        return requests.stream((ReqT) value);
      }

      @Override
      public Object parse(InputStream stream) {
        try {
          return requests.parse(stream);
        } catch (RuntimeException e) {
          Throwable cause = e.getCause() != null ? e.getCause() : e;
          return new Unparsable(String.valueOf(cause.getMessage()));
        }
      }
    }, method.getResponseMarshaller()).build();
    return ServerMethodDefinition.create(lenient, guardedHandler(definition.getServerCallHandler(), method));
  }

  @SuppressWarnings("unchecked")
  private static <ReqT, RespT> ServerCallHandler<Object, RespT> guardedHandler(
      ServerCallHandler<ReqT, RespT> handler, MethodDescriptor<ReqT, RespT> method) {
    return (call, headers) -> {
      ServerCall.Listener<ReqT> delegate = handler.startCall((ServerCall<ReqT, RespT>) (ServerCall<?, RespT>) call, headers);
      return new ForwardingServerCallListener<Object>() {
        private boolean rejected;

        @Override
        protected ServerCall.Listener<Object> delegate() {
          return (ServerCall.Listener<Object>) (ServerCall.Listener<?>) delegate;
        }

        @Override
        public void onMessage(Object message) {
          if (rejected) {
            return;
          }
          if (message instanceof Unparsable u) {
            rejected = true;
            call.close(Status.INVALID_ARGUMENT.withDescription("the request does not parse as "
                + requestName(method) + ": " + ProtoCodec.abbreviate(u.reason())), new Metadata());
            return;
          }
          delegate.onMessage((ReqT) message);
        }

        @Override
        public void onHalfClose() {
          // After a rejection the call is closed; the handler must not answer it a second time.
          if (!rejected) {
            delegate.onHalfClose();
          }
        }

        @Override
        public void onReady() {
          if (!rejected) {
            delegate.onReady();
          }
        }
      };
    };
  }

  private static String requestName(MethodDescriptor<?, ?> method) {
    return method.getFullMethodName() + "'s request";
  }
}
