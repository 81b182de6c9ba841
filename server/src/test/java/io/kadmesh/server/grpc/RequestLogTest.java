package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.GetResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The request-ID interceptor over the in-process transport, on a clock the fake service moves:
 * the ID comes back in the response, sits in the MDC while the handler runs, and a slow call logs
 * one WARN line that names it.
 */
class RequestLogTest {
  private static final Duration THRESHOLD = Duration.ofSeconds(1);

  private final AtomicLong nanos = new AtomicLong();
  /** How long the fake Get "takes": it moves the clock by this much. */
  private final AtomicLong getTakesNanos = new AtomicLong();
  private final List<String> idsSeenByHandler = new ArrayList<>();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(RequestLog.class);
  private Server server;
  private ManagedChannel channel;

  /** A Get that records the MDC's request ID and takes as long as the test says. */
  private final class FakeDht extends DhtGrpc.DhtImplBase {
    @Override
    public void get(GetRequest request, StreamObserver<GetResponse> observer) {
      idsSeenByHandler.add(MDC.get(RequestLog.MDC_KEY));
      nanos.addAndGet(getTakesNanos.get());
      if (request.getKey().equals("fail")) {
        observer.onError(Status.UNAVAILABLE.withDescription("no replica").asRuntimeException());
        return;
      }
      observer.onNext(GetResponse.newBuilder().setFound(true).setValue(ByteString.copyFromUtf8("v")).build());
      observer.onCompleted();
    }
  }

  @BeforeEach
  void start() throws Exception {
    logged.start();
    logger.addAppender(logged);
    String name = InProcessServerBuilder.generateName();
    RequestLog requestLog = new RequestLog(THRESHOLD, nanos::get,
        request -> Optional.of("k-" + ((GetRequest) request).getKey()));
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(new FakeDht(), requestLog)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    logger.detachAppender(logged);
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** A Get sending {@code requestId} (null: none); answers the response headers and trailers. */
  private Metadata[] get(String key, String requestId) {
    Metadata sent = new Metadata();
    if (requestId != null) {
      sent.put(RequestLog.REQUEST_ID, requestId);
    }
    AtomicReference<Metadata> headers = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    DhtGrpc.DhtBlockingStub stub = DhtGrpc.newBlockingStub(ClientInterceptors.intercept(channel,
            MetadataUtils.newCaptureMetadataInterceptor(headers, trailers),
            MetadataUtils.newAttachHeadersInterceptor(sent)))
        .withDeadlineAfter(5, TimeUnit.SECONDS);
    try {
      stub.get(GetRequest.newBuilder().setKey(key).build());
    } catch (StatusRuntimeException e) {
      // The test looks at what came back.
    }
    return new Metadata[] {headers.get(), trailers.get()};
  }

  private List<String> warnings() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void callersRequestId_isEchoedInTheResponseHeaders_andInTheMdcWhileTheHandlerRuns() {
    Metadata[] answer = get("a", "req-42");

    assertThat(answer[0].get(RequestLog.REQUEST_ID)).isEqualTo("req-42");
    assertThat(idsSeenByHandler).containsExactly("req-42");
    assertThat(MDC.get(RequestLog.MDC_KEY)).as("the MDC after the call").isNull();
  }

  @Test
  void callWithoutARequestId_getsANewOne_differentForEachCall() {
    String first = get("a", null)[0].get(RequestLog.REQUEST_ID);
    String second = get("a", null)[0].get(RequestLog.REQUEST_ID);

    assertThat(first).matches("[0-9a-f]{16}");
    assertThat(second).matches("[0-9a-f]{16}").isNotEqualTo(first);
    assertThat(idsSeenByHandler).containsExactly(first, second);
  }

  @Test
  void unusableRequestId_tooLongOrNotVisibleAscii_isReplaced() {
    String tooLong = "x".repeat(RequestLog.MAX_ID_LENGTH + 1);

    assertThat(get("a", tooLong)[0].get(RequestLog.REQUEST_ID)).matches("[0-9a-f]{16}");
    assertThat(get("a", "two words")[0].get(RequestLog.REQUEST_ID)).matches("[0-9a-f]{16}");
    assertThat(RequestLog.usable("x".repeat(RequestLog.MAX_ID_LENGTH))).isPresent();
  }

  @Test
  void failedCall_carriesTheRequestIdInItsTrailers() {
    Metadata[] answer = get("fail", "req-7");

    assertThat(answer[1].get(RequestLog.REQUEST_ID)).isEqualTo("req-7");
  }

  @Test
  void callAtOrOverTheThreshold_logsOneWarnLine_withMethodDurationStatusKeyAndRequestId() {
    getTakesNanos.set(THRESHOLD.toNanos() + 500_000_000L);

    get("a", "req-slow");

    assertThat(warnings()).containsExactly("slow Get: 1500.0 ms, OK, key k-a, request req-slow");
    ILoggingEvent line = logged.list.get(0);
    assertThat(line.getMDCPropertyMap()).containsEntry(RequestLog.MDC_KEY, "req-slow");
  }

  @Test
  void slowFailedCall_logsItsStatus() {
    getTakesNanos.set(THRESHOLD.toNanos());

    get("fail", "req-f");

    assertThat(warnings()).containsExactly("slow Get: 1000.0 ms, UNAVAILABLE, key k-fail, request req-f");
  }

  @Test
  void callUnderTheThreshold_logsNothing() {
    getTakesNanos.set(THRESHOLD.toNanos() - 1);

    get("a", "req-fast");

    assertThat(logged.list).isEmpty();
  }
}
