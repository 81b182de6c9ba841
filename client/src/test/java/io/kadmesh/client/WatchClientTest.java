package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.Version;
import io.kadmesh.proto.v1.WatchEventType;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** KadmeshClient's watch: events converted to the client's type, and failures told once. */
class WatchClientTest extends FakeNodeFixture {

  private static final class Heard implements WatchListener {
    final List<WatchEvent> events = new CopyOnWriteArrayList<>();
    final AtomicReference<KadmeshException> error = new AtomicReference<>();

    @Override
    public void onEvent(WatchEvent event) {
      events.add(event);
    }

    @Override
    public void onError(KadmeshException e) {
      error.set(e);
    }
  }

  @Test
  void watchKey_handsEachEventToTheListener_withItsValueVersionAndExpiry() throws Exception {
    dht.watchEvents(List.of(io.kadmesh.proto.v1.WatchEvent.newBuilder()
            .setType(WatchEventType.WATCH_EVENT_TYPE_VALUE).setValue(ByteString.copyFromUtf8("red"))
            .setVersion(Version.newBuilder().setSequence(7).setWriterId(FakeDht.WRITER))
            .setExpiresAt(Timestamp.newBuilder().setSeconds(1_900_000_000)).build(),
        io.kadmesh.proto.v1.WatchEvent.newBuilder()
            .setType(WatchEventType.WATCH_EVENT_TYPE_SYNCED).build()));
    Heard heard = new Heard();

    WatchHandle handle = client.watchKey("colour", heard);

    assertThat(handle.awaitEnd(5, TimeUnit.SECONDS)).isTrue();
    assertThat(dht.lastWatch().getKey()).isEqualTo("colour");
    assertThat(heard.events).extracting(WatchEvent::type)
        .containsExactly(WatchEvent.Type.VALUE, WatchEvent.Type.SYNCED);
    WatchEvent value = heard.events.get(0);
    assertThat(value.value()).asString().isEqualTo("red");
    assertThat(value.version().sequence()).isEqualTo(7);
    assertThat(value.expiresAt()).isEqualTo(Instant.ofEpochSecond(1_900_000_000));
    assertThat(heard.events.get(1).version()).isNull();
    assertThat(heard.error.get()).isNull();
  }

  @Test
  void watchService_convertsEndpoints() throws Exception {
    dht.watchEvents(List.of(io.kadmesh.proto.v1.WatchEvent.newBuilder()
        .setType(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED)
        .setEndpoint(Endpoint.newBuilder().setAddress("10.0.0.1:80").putMetadata("zone", "a")
            .setAnnouncer(ByteString.copyFrom(new byte[32]))
            .setAnnouncerKey(ByteString.copyFrom(new byte[32]))
            .setExpiresAt(Timestamp.newBuilder().setSeconds(1_900_000_000)))
        .build()));
    Heard heard = new Heard();

    client.watchService("orders", heard).awaitEnd(5, TimeUnit.SECONDS);

    assertThat(dht.lastWatch().getService()).isEqualTo("orders");
    ServiceEndpoint endpoint = heard.events.get(0).endpoint();
    assertThat(heard.events.get(0).type()).isEqualTo(WatchEvent.Type.ENDPOINT_ADDED);
    assertThat(endpoint.address()).isEqualTo("10.0.0.1:80");
    assertThat(endpoint.metadata()).containsEntry("zone", "a");
    assertThat(endpoint.announcerKey()).isEqualTo("00".repeat(32));
  }

  @Test
  void watchRefusedByTheNode_endsThroughOnError_withTheStatus() throws Exception {
    dht.failWith(Status.RESOURCE_EXHAUSTED.withDescription("too many watches"));
    Heard heard = new Heard();

    WatchHandle handle = client.watchKey("k", heard);

    assertThat(handle.awaitEnd(5, TimeUnit.SECONDS)).isTrue();
    assertThat(heard.error.get()).hasMessageContaining("too many watches");
    assertThat(heard.events).isEmpty();
  }

  @Test
  void closingTheHandle_endsTheWatch_withoutAnError() throws Exception {
    dht.goSilent();
    Heard heard = new Heard();
    WatchHandle handle = client.watchKey("k", heard);

    handle.close();

    assertThat(handle.awaitEnd(5, TimeUnit.SECONDS)).isTrue();
    assertThat(heard.error.get()).isNull();
  }
}
