package io.kadmesh.cli.bench;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindNodeResponse;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.StoreRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Counts the peer RPCs the bench's nodes send, by method, and the FIND_VALUE answers that carried a
 * record, with a client interceptor on their peer channels (no change to the node), and feeds
 * lookup requests and answers to a {@link LookupTracer}.
 * Cheap: a counter increment per call, and decoding of bytes the call carries anyway.
 */
final class PeerCallCounter {
  private final Map<String, LongAdder> byMethod = new ConcurrentHashMap<>();
  private final LongAdder recordAnswers = new LongAdder();
  private final LookupTracer tracer;

  PeerCallCounter(LookupTracer tracer) {
    this.tracer = tracer;
  }

  /** The interceptor for the channel from {@code sender} (its advertised address) to {@code callee}. */
  ClientInterceptor interceptor(Supplier<String> sender, String callee) {
    return new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method,
          CallOptions options, Channel next) {
        byMethod.computeIfAbsent(method.getBareMethodName(), m -> new LongAdder()).increment();
        return new TracedCall<>(next.newCall(method, options), sender.get(), callee);
      }
    };
  }

  /** RPCs sent so far, all methods. */
  long total() {
    long sum = 0;
    for (LongAdder a : byMethod.values()) sum += a.sum();
    return sum;
  }

  /** RPCs of one method (its bare name, such as "Store") sent so far. */
  long count(String method) {
    LongAdder a = byMethod.get(method);
    return a == null ? 0 : a.sum();
  }

  /** FIND_VALUE answers that carried a record, so far. */
  long recordAnswers() {
    return recordAnswers.sum();
  }

  /** RPCs sent so far, by method name. */
  Map<String, Long> byMethod() {
    Map<String, Long> out = new LinkedHashMap<>();
    byMethod.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.put(e.getKey(), e.getValue().sum()));
    return out;
  }

  private final class TracedCall<Q, R> extends SimpleForwardingClientCall<Q, R> {
    private final String sender;
    private final String callee;
    private volatile NodeId target;

    TracedCall(ClientCall<Q, R> call, String sender, String callee) {
      super(call);
      this.sender = sender;
      this.callee = callee;
    }

    @Override
    public void start(Listener<R> listener, Metadata headers) {
      super.start(new SimpleForwardingClientCallListener<>(listener) {
        @Override
        public void onMessage(R message) {
          NodeId t = target;
          if (message instanceof FindValueResponse v && v.hasRecord()) recordAnswers.increment();
          if (t != null && message instanceof FindNodeResponse r) {
            tracer.answered(sender, t, callee, addresses(r.getClosestList()), false);
          } else if (t != null && message instanceof FindValueResponse r) {
            tracer.answered(sender, t, callee, addresses(r.getClosestList()), r.hasRecord());
          }
          super.onMessage(message);
        }
      }, headers);
    }

    @Override
    public void sendMessage(Q message) {
      NodeId t = null;
      if (message instanceof FindNodeRequest r) {
        t = id(r.getTarget().toByteArray());
      } else if (message instanceof FindValueRequest r) {
        t = id(r.getKey().toByteArray());
      } else if (message instanceof StoreRequest r) {
        t = id(r.getRecord().getKey().toByteArray());
      }
      if (t != null) {
        tracer.sent(sender, t, callee);
        // Only lookups' answers say something about hops.
        if (!(message instanceof StoreRequest)) target = t;
      }
      super.sendMessage(message);
    }

    private static NodeId id(byte[] bytes) {
      return bytes.length == NodeId.BYTES ? NodeId.fromBytes(bytes) : null;
    }

    private static List<String> addresses(List<Contact> contacts) {
      List<String> out = new ArrayList<>(contacts.size());
      for (Contact c : contacts) out.add(c.getAddress());
      return out;
    }
  }
}
