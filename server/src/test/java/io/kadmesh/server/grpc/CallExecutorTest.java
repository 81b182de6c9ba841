package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.server.HostPort;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code --sync-writes} call pool over Netty on 127.0.0.1: a handler that blocks (as an fsync
 * does) holds its call, and once {@code --max-queued-calls} are held the next one is refused
 * RESOURCE_EXHAUSTED naming the limit, instead of waiting in a queue without bound (before: a
 * fixed pool over an unbounded queue, so the call below was queued and later answered OK).
 */
class CallExecutorTest {
  private static final HostPort ANY_LOOPBACK_PORT = HostPort.parse("127.0.0.1:0");
  private static final int MAX_QUEUED = 3;

  private final CountDownLatch disk = new CountDownLatch(1);
  private final AtomicInteger handled = new AtomicInteger();
  private final CallExecutor executor = CallExecutor.create(1, MAX_QUEUED);
  private Server server;
  private ManagedChannel channel;

  /** Pings that wait for {@link #disk}, as a STORE waits for its fsync. */
  private final class SlowKademlia extends KademliaGrpc.KademliaImplBase {
    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> observer) {
      try {
        if (!disk.await(10, TimeUnit.SECONDS)) {
          observer.onError(Status.DEADLINE_EXCEEDED.asException());
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      handled.incrementAndGet();
      observer.onNext(PingResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }

  private KademliaGrpc.KademliaFutureStub start() throws IOException {
    server = NettyEndpoints.server(ANY_LOOPBACK_PORT, true)
        .addService(new SlowKademlia())
        .intercept(executor.admission())
        .build()
        .start();
    channel = NettyChannelBuilder.forTarget("127.0.0.1:" + server.getPort()).usePlaintext().build();
    return KademliaGrpc.newFutureStub(channel);
  }

  @AfterEach
  void stop() throws InterruptedException {
    disk.countDown();
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    executor.close();
  }

  @Test
  void callBeyondTheQueue_isRefusedResourceExhaustedNamingTheLimit_andTheHeldCallsAndLaterOnesAreServed() throws Exception {
    KademliaGrpc.KademliaFutureStub kademlia = start();
    List<ListenableFuture<PingResponse>> held = new ArrayList<>();
    for (int i = 0; i < MAX_QUEUED; i++) {
      held.add(kademlia.withDeadlineAfter(20, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance()));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> executor.held() == MAX_QUEUED);

    assertFails(() -> KademliaGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .ping(PingRequest.getDefaultInstance()),
        Status.Code.RESOURCE_EXHAUSTED, "call queue of " + MAX_QUEUED, "--max-queued-calls");

    disk.countDown();
    for (ListenableFuture<PingResponse> call : held) {
      call.get(10, TimeUnit.SECONDS);
    }
    KademliaGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).ping(PingRequest.getDefaultInstance());
    assertThat(handled).hasValue(MAX_QUEUED + 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> executor.held() == 0);
  }
}
