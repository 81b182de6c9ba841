package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.proto.v1.Version;
import io.kadmesh.proto.v1.WatchEvent;
import io.kadmesh.proto.v1.WatchEventType;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  private static final Version VERSION = Version.newBuilder().setSequence(1001)
      .setWriterId(ByteString.copyFrom(new byte[32])).build();
  private static final Timestamp EXPIRES = Timestamp.newBuilder().setSeconds(1_900_000_000).build();

  private static WatchEvent event(WatchEventType type) {
    return WatchEvent.newBuilder().setType(type).build();
  }

  private static WatchEvent value(String value) {
    return WatchEvent.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_VALUE)
        .setValue(ByteString.copyFromUtf8(value)).setVersion(VERSION).setExpiresAt(EXPIRES).build();
  }

  private static WatchEvent endpoint(WatchEventType type, String address, String zone) {
    return WatchEvent.newBuilder().setType(type).setEndpoint(Endpoint.newBuilder()
        .setAddress(address).putMetadata("zone", zone)
        .setAnnouncer(ByteString.copyFrom(new byte[32]))
        .setAnnouncerKey(ByteString.copyFrom(new byte[32]))
        .setExpiresAt(EXPIRES)).build();
  }

  @Test
  void watchKey_printsOneLinePerEvent_valueAsTextOrHex() {
    cli.dht.watchEvents(List.of(value("red"), event(WatchEventType.WATCH_EVENT_TYPE_SYNCED),
        WatchEvent.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_VALUE)
            .setValue(ByteString.copyFrom(new byte[] {(byte) 0xff, 0})).setVersion(VERSION).build(),
        WatchEvent.newBuilder().setType(WatchEventType.WATCH_EVENT_TYPE_DELETED).setVersion(VERSION)
            .build(),
        event(WatchEventType.WATCH_EVENT_TYPE_RESYNC),
        event(WatchEventType.WATCH_EVENT_TYPE_DELETED),
        event(WatchEventType.WATCH_EVENT_TYPE_SYNCED)));

    int exit = cli.run("watch", "colour");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.dht.lastWatch().getKey()).isEqualTo("colour");
    assertThat(cli.out().lines()).containsExactly("VALUE 1001@00000000 red", "SYNCED",
        "VALUE 1001@00000000 0xff00", "DELETED 1001@00000000", "RESYNC", "DELETED", "SYNCED");
  }

  @Test
  void watchService_printsEndpointsWithTheirMetadata() {
    cli.dht.watchEvents(List.of(
        endpoint(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED, "127.0.0.1:9000", "a"),
        event(WatchEventType.WATCH_EVENT_TYPE_SYNCED),
        endpoint(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_UPDATED, "127.0.0.1:9000", "b"),
        endpoint(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_REMOVED, "127.0.0.1:9000", "b")));

    int exit = cli.run("watch", "--service", "orders");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.dht.lastWatch().getService()).isEqualTo("orders");
    assertThat(cli.out().lines()).containsExactly("ADDED 127.0.0.1:9000 zone=a", "SYNCED",
        "UPDATED 127.0.0.1:9000 zone=b", "REMOVED 127.0.0.1:9000 zone=b");
  }

  @Test
  void watchWithJson_printsOneObjectPerLine() {
    cli.dht.watchEvents(List.of(value("red"),
        endpoint(WatchEventType.WATCH_EVENT_TYPE_ENDPOINT_ADDED, "127.0.0.1:9000", "a")));

    cli.run("watch", "colour", "--json");

    List<String> lines = cli.out().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("{\"type\":\"VALUE\",\"version\":{\"sequence\":1001,")
        .contains("\"value\":\"red\"", "\"value_base64\":\"cmVk\"",
            "\"expires_at\":\"2030-03-17T17:46:40Z\"");
    assertThat(lines.get(1)).startsWith("{\"type\":\"ENDPOINT_ADDED\",\"address\":\"127.0.0.1:9000\"")
        .contains("\"metadata\":{\"zone\":\"a\"}", "\"announcer\":\"" + "00".repeat(32) + "\"");
  }

  @Test
  void watch_refusedByTheNode_failsWithOneLine() {
    cli.dht.failWith(Status.INVALID_ARGUMENT.withDescription("key must not be empty"));

    int exit = cli.run("watch", "x");

    assertThat(exit).isNotEqualTo(ExitCodes.OK);
    assertThat(cli.err().lines()).containsExactly("kadmesh: INVALID_ARGUMENT: key must not be empty");
  }

  @Test
  void watch_withBothOrNeitherOfKeyAndService_isAUsageError() {
    assertThat(cli.run("watch")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.run("watch", "k", "--service", "s")).isEqualTo(ExitCodes.USAGE);
  }
}
