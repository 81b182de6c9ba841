package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.WatchLimits;
import io.kadmesh.proto.v1.DeleteRequest;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchEventType;
import io.kadmesh.proto.v1.WatchRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Dht.Watch over the in-process transport: the stream, its flow control, its limits and errors. */
class WatchServiceTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A client side of one Watch stream: what it received, and its own flow control. */
  private static final class Stream implements ClientResponseObserver<WatchRequest, WatchEvent> {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final AtomicReference<Status> ended = new AtomicReference<>();
    final int initialRequest;
    volatile ClientCallStreamObserver<WatchRequest> call;

    Stream(int initialRequest) {
      this.initialRequest = initialRequest;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      call = requestStream;
      if (initialRequest >= 0) requestStream.disableAutoRequestWithInitial(initialRequest);
    }

    @Override
    public void onNext(WatchEvent e) {
      String type = e.getType().name().substring("WATCH_EVENT_TYPE_".length());
      lines.add(e.getType() == WatchEventType.WATCH_EVENT_TYPE_VALUE
          ? type + " " + e.getValue().toStringUtf8() : type);
    }

    @Override
    public void onError(Throwable t) {
      ended.set(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.set(Status.OK);
    }

    void cancel() {
      call.cancel("done", null);
    }
  }

  private Stream watch(KadmeshServer node, WatchRequest request, int initialRequest) {
    Stream stream = new Stream(initialRequest);
    DhtGrpc.newStub(nodes.channel(node.addresses().api())).watch(request, stream);
    return stream;
  }

  private static WatchRequest key(String key) {
    return WatchRequest.newBuilder().setKey(key).build();
  }

  private static PutRequest put(String key, String value) {
    return PutRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
  }

  @Test
  void watchKey_sendsStateThenSynced_thenEveryPutAndTheDelete() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    dht.put(put("colour", "red"));

    Stream stream = watch(node, key("colour"), -1);
    await().atMost(WAIT).until(() -> stream.lines.contains("SYNCED"));
    dht.put(put("colour", "blue"));
    await().atMost(WAIT).until(() -> stream.lines.contains("VALUE blue"));
    dht.delete(DeleteRequest.newBuilder().setKey("colour").build());
    await().atMost(WAIT).until(() -> stream.lines.size() == 4);
    stream.cancel();

    assertThat(stream.lines).containsExactly("VALUE red", "SYNCED", "VALUE blue", "DELETED");
  }

  @Test
  void putOnOneNode_reachesAWatchOnAnother_throughSubscribeAndNotify() {
    KadmeshServer first = nodes.start(NodeConfig.defaults());
    KadmeshServer second = nodes.start(NodeConfig.defaults(),
        b -> b.bootstrap(List.of(first.addresses().peer())));
    await().atMost(WAIT).until(() -> first.node().routingTable().liveSize() == 1
        && second.node().routingTable().liveSize() == 1);

    Stream stream = watch(second, key("shared"), -1);
    await().atMost(WAIT).until(() -> stream.lines.contains("SYNCED"));
    nodes.dht(first).put(put("shared", "from-first"));
    await().atMost(WAIT).until(() -> stream.lines.contains("VALUE from-first"));
    stream.cancel();

    assertThat(stream.lines).containsExactly("DELETED", "SYNCED", "VALUE from-first");
  }

  @Test
  void slowReader_fallingBehindItsQueue_getsResyncAndTheNewestState_notEveryChange() {
    WatchLimits small = new WatchLimits(Duration.ofMinutes(2), Duration.ofMinutes(10), 1024,
        65_536, 256, 16, 4);
    KadmeshServer node = nodes.start(NodeConfig.builder().watch(small).build());
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);

    // Reads the state and SYNCED, then nothing until asked.
    Stream stream = watch(node, key("busy"), 2);
    await().atMost(WAIT).until(() -> stream.lines.contains("SYNCED"));
    for (int i = 1; i <= 20; i++) {
      dht.put(put("busy", "v" + i));
    }
    stream.call.request(1000);
    await().atMost(WAIT).until(() -> stream.lines.contains("VALUE v20"));
    stream.cancel();

    List<String> after = new ArrayList<>(stream.lines.subList(2, stream.lines.size()));
    assertThat(after).first().isEqualTo("RESYNC");
    // Notifications reach the stream asynchronously, so a few changes may land after the reader
    // caught up; what holds whatever the timing: the changes queued past the limit collapsed into
    // the newest state, and versions only grow.
    assertThat(after).contains("SYNCED").endsWith("VALUE v20").hasSizeLessThan(20);
    List<Integer> versions = after.stream().filter(l -> l.startsWith("VALUE v"))
        .map(l -> Integer.parseInt(l.substring("VALUE v".length()))).toList();
    assertThat(versions).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void watchesBeyondTheLimit_areRefusedResourceExhausted_untilOneEnds() {
    WatchLimits one = new WatchLimits(Duration.ofMinutes(2), Duration.ofMinutes(10), 1024,
        65_536, 256, 1, 256);
    KadmeshServer node = nodes.start(NodeConfig.builder().watch(one).build());
    Stream first = watch(node, key("a"), -1);
    await().atMost(WAIT).until(() -> first.lines.contains("SYNCED"));

    Stream second = watch(node, key("b"), -1);
    await().atMost(WAIT).until(() -> second.ended.get() != null);
    first.cancel();
    // The node frees the slot when it hears of the cancellation, a moment after the client.
    AtomicReference<Stream> third = new AtomicReference<>();
    await().atMost(WAIT).until(() -> {
      Stream attempt = watch(node, key("c"), -1);
      await().atMost(WAIT).until(() -> attempt.lines.contains("SYNCED") || attempt.ended.get() != null);
      third.set(attempt);
      return attempt.lines.contains("SYNCED");
    });
    third.get().cancel();

    assertThat(second.ended.get().getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED);
    assertThat(second.ended.get().getDescription()).contains("maxWatchStreams").contains("1");
    assertThat(third.get().lines).contains("SYNCED");
  }

  @Test
  void closingTheNode_endsItsWatchStreamsUnavailable_withoutWaitingOutTheShutdownGrace() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    Stream stream = watch(node, key("k"), -1);
    await().atMost(WAIT).until(() -> stream.lines.contains("SYNCED"));

    long started = System.nanoTime();
    node.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    await().atMost(WAIT).until(() -> stream.ended.get() != null);

    assertThat(stream.ended.get().getCode()).isEqualTo(Code.UNAVAILABLE);
    assertThat(stream.ended.get().getDescription()).contains("shutting down");
    // KadmeshServer waits 5 s for calls in flight before it forces them to end.
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void watchWithoutTarget_orWithABadKeyOrServiceName_isInvalidArgument_namingTheField() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);

    assertFails(() -> dht.watch(WatchRequest.getDefaultInstance()).hasNext(),
        Code.INVALID_ARGUMENT, "key or service");
    assertFails(() -> dht.watch(key("")).hasNext(), Code.INVALID_ARGUMENT, "key");
    assertFails(() -> dht.watch(WatchRequest.newBuilder().setService("s".repeat(257)).build())
        .hasNext(), Code.INVALID_ARGUMENT, "service", "256");
    assertFails(() -> dht.watch(WatchRequest.newBuilder().setService("").build()).hasNext(),
        Code.INVALID_ARGUMENT, "service");
  }
}
