package io.kadmesh.server.grpc;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerTransportFilter;
import io.kadmesh.core.DhtException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds the connections one remote address holds open to a server ({@code
 * maxConnectionsPerAddress}). A transport filter counts each connection as it becomes ready; one
 * beyond the limit stays open (a filter cannot close it) but every call on it fails
 * RESOURCE_EXHAUSTED until an admitted connection from that address closes and frees its place.
 * Loopback peers, and in-process transports, are exempt when {@code exemptLoopback}: every node of
 * a local mesh shares 127.0.0.1.
 *
 * <p>Install both halves on one server: {@link #filter()} as a transport filter and {@link
 * #interceptor()} as an interceptor.
 */
final class ConnectionLimiter {
  private static final Attributes.Key<Slot> SLOT = Attributes.Key.create("kadmesh.connection-slot");

  private final int limit;
  private final boolean exemptLoopback;
  /** Admitted connections per address; an address leaves when its last one closes. */
  private final Map<InetAddress, Integer> admitted = new HashMap<>();

  ConnectionLimiter(int limit, boolean exemptLoopback) {
    this.limit = limit;
    this.exemptLoopback = exemptLoopback;
  }

  /** One connection's claim on a place among its address's. */
  private static final class Slot {
    final InetAddress address;
    /** Guarded by the limiter; read without it once true, as it never turns false while open. */
    volatile boolean admitted;
    boolean closed;

    Slot(InetAddress address) {
      this.address = address;
    }
  }

  ServerTransportFilter filter() {
    return new ServerTransportFilter() {
      @Override
      public Attributes transportReady(Attributes attributes) {
        InetAddress address = countedAddress(attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        if (address == null) {
          return attributes;
        }
        Slot slot = new Slot(address);
        tryAdmit(slot);
        return attributes.toBuilder().set(SLOT, slot).build();
      }

      @Override
      public void transportTerminated(Attributes attributes) {
        // Null when the transport never became ready (a TLS handshake that failed).
        Slot slot = attributes == null ? null : attributes.get(SLOT);
        if (slot != null) {
          release(slot);
        }
      }
    };
  }

  ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
          ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        Slot slot = call.getAttributes().get(SLOT);
        if (slot == null || slot.admitted || tryAdmit(slot)) {
          return next.startCall(call, headers);
        }
        call.close(StatusMapper.toStatus(DhtException.exhausted("connection limit of " + limit
            + " per remote address (--max-connections-per-address) reached for "
            + slot.address.getHostAddress())), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    };
  }

  /** Open connections from {@code address} that count against the limit; for tests. */
  synchronized int admitted(InetAddress address) {
    return admitted.getOrDefault(address, 0);
  }

  /** The address a connection counts under, or null for one that is exempt. */
  private InetAddress countedAddress(SocketAddress remote) {
    if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
      // In-process transports (and anything without an IP) count as loopback.
      return exemptLoopback ? null : InetAddress.getLoopbackAddress();
    }
    InetAddress address = inet.getAddress();
    return exemptLoopback && address.isLoopbackAddress() ? null : address;
  }

  private synchronized boolean tryAdmit(Slot slot) {
    if (slot.admitted || slot.closed) {
      return slot.admitted;
    }
    int open = admitted.getOrDefault(slot.address, 0);
    if (open >= limit) {
      return false;
    }
    admitted.put(slot.address, open + 1);
    slot.admitted = true;
    return true;
  }

  private synchronized void release(Slot slot) {
    if (slot.closed) {
      return;
    }
    slot.closed = true;
    if (slot.admitted) {
      admitted.computeIfPresent(slot.address, (a, n) -> n == 1 ? null : n - 1);
    }
  }
}
