package io.kadmesh.server.grpc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.Scheduler;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.StoreRequest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket per remote peer on the peer port ({@code peerRateLimit} requests/s, bursts of
 * twice that): a peer over its rate is answered RESOURCE_EXHAUSTED, and every other peer keeps
 * being served. The caller side ({@link GrpcPeerTransport}) reads that status as "alive, refused",
 * so an honest peer that is slowed down is not evicted.
 *
 * <p>A peer is its remote IP. On loopback with {@code exemptLoopback} it is the IP and the
 * sender's node ID from the request header, since every node of a local mesh shares 127.0.0.1; a
 * process on this host can then dodge the limit by changing IDs, which a host's own processes
 * could do in many other ways. Buckets live in a bounded cache and expire once idle (an idle
 * bucket is full again anyway), so a flood of addresses costs memory only up to that bound.
 *
 * <p>The limit is checked in {@code onMessage}, where the request is parsed, so only the Kademlia
 * service is wrapped; health and reflection are not limited.
 */
final class PeerRateLimiter implements ServerInterceptor {
  /** Peers whose buckets are kept at most; beyond that the least recently used are dropped. */
  static final int MAX_TRACKED_PEERS = 65_536;
  private static final Duration IDLE_EXPIRY = Duration.ofMinutes(1);
  private static final InetAddress IN_PROCESS = InetAddress.getLoopbackAddress();

  private final int ratePerSecond;
  private final boolean exemptLoopback;
  private final TimeMeter time;
  private final Cache<PeerKey, Bucket> buckets;

  /** Who a bucket belongs to: an address, and on exempt loopback the sender's ID as well. */
  private record PeerKey(InetAddress address, ByteString sender) {}

  PeerRateLimiter(int ratePerSecond, boolean exemptLoopback, Scheduler scheduler) {
    if (ratePerSecond < 1) {
      throw new IllegalArgumentException("a rate limiter needs a positive rate: " + ratePerSecond);
    }
    this.ratePerSecond = ratePerSecond;
    this.exemptLoopback = exemptLoopback;
    this.time = new SchedulerTime(scheduler);
    this.buckets = Caffeine.newBuilder()
        .maximumSize(MAX_TRACKED_PEERS)
        .expireAfterAccess(IDLE_EXPIRY)
        .ticker(time::currentTimeNanos)
        .build();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    InetAddress address = address(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    ServerCall.Listener<ReqT> delegate = next.startCall(call, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
      private boolean refused;

      @Override
      public void onMessage(ReqT message) {
        if (refused) {
          return;
        }
        if (!bucket(key(address, message)).tryConsume(1)) {
          refused = true;
          call.close(refusal(), new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        // The call is closed already; the handler must not answer it a second time.
        if (!refused) {
          super.onHalfClose();
        }
      }

      @Override
      public void onReady() {
        if (!refused) {
          super.onReady();
        }
      }
    };
  }

  private Status refusal() {
    return StatusMapper.toStatus(DhtException.exhausted("peer rate limit of " + ratePerSecond
        + " requests/s (--peer-rate-limit) exceeded"));
  }

  private Bucket bucket(PeerKey key) {
    return buckets.get(key, k -> Bucket.builder()
        .addLimit(limit -> limit.capacity(2L * ratePerSecond).refillGreedy(ratePerSecond, Duration.ofSeconds(1)))
        .withCustomTimePrecision(time)
        .build());
  }

  private PeerKey key(InetAddress address, Object message) {
    if (exemptLoopback && address.isLoopbackAddress()) {
      RequestHeader header = header(message);
      ByteString sender = header == null ? ByteString.EMPTY : header.getSender().getNodeId();
      return new PeerKey(address, sender);
    }
    return new PeerKey(address, ByteString.EMPTY);
  }

  /** The header of a Kademlia request; null for anything else (a request that did not parse). */
  private static RequestHeader header(Object message) {
    if (message instanceof PingRequest r) {
      return r.getHeader();
    } else if (message instanceof FindNodeRequest r) {
      return r.getHeader();
    } else if (message instanceof FindValueRequest r) {
      return r.getHeader();
    } else if (message instanceof StoreRequest r) {
      return r.getHeader();
    } else if (message instanceof io.kadmesh.proto.v1.SubscribeRequest r) {
      return r.getHeader();
    } else if (message instanceof io.kadmesh.proto.v1.NotifyRequest r) {
      return r.getHeader();
    }
    return null;
  }

  /** In-process transports (no IP) count as loopback. */
  private static InetAddress address(SocketAddress remote) {
    if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress();
    }
    return IN_PROCESS;
  }

  /** The node's clock as Bucket4j and Caffeine read time, so tests can drive it. */
  private record SchedulerTime(Scheduler scheduler) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      Instant now = scheduler.now();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
