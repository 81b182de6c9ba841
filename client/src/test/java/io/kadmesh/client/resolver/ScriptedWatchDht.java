package io.kadmesh.client.resolver;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchEventType;
import io.kadmesh.proto.v1.WatchRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Dht whose Watch streams what the test scripts: each Watch call becomes a {@link Session} the
 * test takes with {@link #nextWatch} and sends events on, fails or watches being cancelled.
 */
final class ScriptedWatchDht extends DhtGrpc.DhtImplBase {

  /** The announcer the events carry unless a test names another: 32 bytes of 0x01. */
  static final ByteString ANNOUNCER = announcer(1);

  private final BlockingQueue<Session> sessions = new LinkedBlockingQueue<>();

  @Override
  public void watch(WatchRequest request, StreamObserver<WatchEvent> responses) {
    ServerCallStreamObserver<WatchEvent> call = (ServerCallStreamObserver<WatchEvent>) responses;
    Session session = new Session(request, call);
    call.setOnCancelHandler(session.cancelled::countDown);
    sessions.add(session);
  }

  /** The next Watch call a client opened, waiting at most {@code timeout} for it. */
  Session nextWatch(Duration timeout) throws InterruptedException {
    Session session = sessions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(session).as("a Watch call within " + timeout).isNotNull();
    return session;
  }

  /** A Watch call that came in without the test taking it yet, or null. */
  Session pendingWatch() {
    return sessions.poll();
  }

  static ByteString announcer(int fill) {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) fill);
    return ByteString.copyFrom(id);
  }

  static WatchEvent added(String address) {
    return endpointEvent(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED, address, ANNOUNCER, Map.of());
  }

  static WatchEvent removed(String address) {
    return endpointEvent(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_REMOVED, address, ANNOUNCER, Map.of());
  }

  static WatchEvent endpointEvent(
      WatchEventType type, String address, ByteString announcer, Map<String, String> metadata) {
    return WatchEvent.newBuilder()
        .setType(type)
        .setEndpoint(
            Endpoint.newBuilder().setAddress(address).setAnnouncer(announcer).putAllMetadata(metadata))
        .build();
  }

  static WatchEvent synced() {
    return WatchEvent.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_SYNCED).build();
  }

  static WatchEvent resync() {
    return WatchEvent.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_RESYNC).build();
  }

  /** One Watch call, as the node side sees it. */
  static final class Session {
    private final WatchRequest request;
    private final ServerCallStreamObserver<WatchEvent> call;
    private final CountDownLatch cancelled = new CountDownLatch(1);

    private Session(WatchRequest request, ServerCallStreamObserver<WatchEvent> call) {
      this.request = request;
      this.call = call;
    }

    WatchRequest request() {
      return request;
    }

    synchronized void send(WatchEvent... events) {
      for (WatchEvent event : events) {
        call.onNext(event);
      }
    }

    synchronized void fail(Status status) {
      call.onError(status.asRuntimeException());
    }

    boolean awaitCancelled(Duration timeout) throws InterruptedException {
      return cancelled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
