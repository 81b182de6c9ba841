package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.proto.v1.ContactInfo;
import io.kadmesh.proto.v1.DrainResponse;
import io.kadmesh.proto.v1.ListRecordsRequest;
import io.kadmesh.proto.v1.RecordInfo;
import io.kadmesh.proto.v1.RecordKind;
import io.kadmesh.proto.v1.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code kadmesh records}, {@code contacts} and {@code drain} against a fake Admin service. */
class AdminCommandsTest {
  private static final Instant NOW = FakeDht.NOW;

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static RecordInfo record(int i) {
    byte[] key = new byte[32];
    key[0] = (byte) i;
    return RecordInfo.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setKind(RecordKind.RECORD_KIND_UNSPECIFIED)
        .setValueBytes(10 + i)
        .setStoredBytes(106 + i)
        .setVersion(Version.newBuilder().setSequence(1000 + i).setWriterId(FakeDht.WRITER))
        .setExpiresAt(ts(NOW.plusSeconds(3600)))
        .setWrittenAt(ts(NOW.minusSeconds(60)))
        .build();
  }

  private static List<RecordInfo> records(int n) {
    List<RecordInfo> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(record(i));
    return out;
  }

  // ---- records ----------------------------------------------------------------------------------

  @Test
  void records_printsATableOfOnePage_andTheTokenOfTheNext() {
    List<RecordInfo> held = records(3);
    held.set(1, held.get(1).toBuilder().setReadCount(4).setLastReadAt(ts(NOW.minusSeconds(5)))
        .build());
    cli.admin.records(held);

    int exit = cli.run("records", "--limit", "2");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().lines()).containsExactly(
        "KEY               KIND         BYTES  VERSION           EXPIRES               LAST READ             READS",
        "0000000000000000  plain           10  1000              2030-01-01T01:00:00Z  -                     0",
        "0100000000000000  plain           11  1001              2030-01-01T01:00:00Z  2029-12-31T23:59:55Z  4",
        "2 of 3 records",
        "next page: --page-token at-2");
    assertThat(cli.admin.recordRequests).extracting(ListRecordsRequest::getPageSize)
        .containsExactly(2);
  }

  @Test
  void records_withAll_followsEveryPage_andPrintsEachRecordOnce() {
    cli.admin.records(records(7));

    int exit = cli.run("records", "--all", "--limit", "3", "--json");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    JsonObject out = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertThat(out.get("total").getAsLong()).isEqualTo(7);
    assertThat(out.get("next_page_token").getAsString()).isEmpty();
    assertThat(out.getAsJsonArray("records")).hasSize(7);
    JsonObject first = out.getAsJsonArray("records").get(0).getAsJsonObject();
    assertThat(first.get("key").getAsString()).isEqualTo("00".repeat(32));
    assertThat(first.get("kind").getAsString()).isEqualTo("plain");
    assertThat(first.get("version").getAsLong()).isEqualTo(1000);
    assertThat(first.get("read_count").getAsLong()).isZero();
    assertThat(first.get("last_read_at").isJsonNull()).isTrue();
    assertThat(first.get("expires_at").getAsString()).isEqualTo("2030-01-01T01:00:00Z");
    assertThat(cli.admin.recordRequests).extracting(ListRecordsRequest::getPageToken)
        .containsExactly("", "at-3", "at-6");
  }

  @Test
  void records_fromAPageToken_startsThere() {
    cli.admin.records(records(5));

    cli.run("records", "--page-token", "at-4");

    assertThat(cli.out().lines()).hasSize(3).element(1).asString().startsWith("0400000000000000");
  }

  @Test
  void records_ofATombstone_marksIt() {
    cli.admin.records(List.of(record(0).toBuilder().setTombstone(true).setValueBytes(0).build()));

    cli.run("records");

    assertThat(cli.out().lines()).contains(
        "1 of 1 records (* a tombstone: a delete or a withdrawn endpoint)");
    assertThat(cli.out().lines().toList().get(1)).contains("plain*");
  }

  @Test
  void records_withALimitOverTheNodesMaximum_isAUsageError_withoutACall() {
    int exit = cli.run("records", "--limit", "5000");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--limit must be 1 to 1000, got 5000");
    assertThat(cli.admin.recordRequests).isEmpty();
  }

  @Test
  void records_withATokenTheNodeRefuses_failsWithOneLine() {
    cli.admin.records(records(1));

    int exit = cli.run("records", "--page-token", "bogus");

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err().lines()).hasSize(1).first().asString()
        .contains("INVALID_ARGUMENT", "page_token");
  }

  // ---- contacts ---------------------------------------------------------------------------------

  @Test
  void contacts_printsATableByBucket_withLastContactAndState() {
    byte[] id = new byte[32];
    id[0] = (byte) 0xab;
    cli.admin.contacts(List.of(
        ContactInfo.newBuilder().setNodeId(ByteString.copyFrom(id)).setAddress("10.0.0.7:7701")
            .setBucket(0).setLastSeenAt(ts(NOW.minusSeconds(12))).build(),
        ContactInfo.newBuilder().setNodeId(ByteString.copyFrom(id)).setAddress("10.0.0.8:7701")
            .setBucket(3).setFailures(5).setStale(true).setLastSeenAt(ts(NOW.minusSeconds(600)))
            .build(),
        ContactInfo.newBuilder().setNodeId(ByteString.copyFrom(id)).setAddress("10.0.0.9:7701")
            .setBucket(3).setReplacement(true).build()));

    int exit = cli.run("contacts");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().lines()).containsExactly(
        "BUCKET  NODE ID           ADDRESS                LAST SEEN   STATE",
        "     0  ab00000000000000  10.0.0.7:7701          12s ago     live",
        "     3  ab00000000000000  10.0.0.8:7701          10m ago     stale (5 failures in a row)",
        "     3  ab00000000000000  10.0.0.9:7701          -           waiting (replacement cache)",
        "2 contacts, 1 waiting in replacement caches");
  }

  @Test
  void contacts_withJson_printsOneObjectPerContact() {
    cli.admin.contacts(List.of(ContactInfo.newBuilder().setNodeId(ByteString.copyFrom(new byte[32]))
        .setAddress("10.0.0.7:7701").setBucket(7).build()));

    cli.run("contacts", "--json");

    JsonObject c = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertThat(c.get("bucket").getAsInt()).isEqualTo(7);
    assertThat(c.get("node_id").getAsString()).isEqualTo("00".repeat(32));
    assertThat(c.get("last_seen_at").isJsonNull()).isTrue();
  }

  // ---- drain ------------------------------------------------------------------------------------

  @Test
  void drain_printsWhatTheNodeDid() {
    cli.admin.drain(DrainResponse.newBuilder().setRecordsHeld(12).setRecordsHandedOff(11)
        .setAnnouncementsWithdrawn(2).build());

    int exit = cli.run("drain");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().lines()).containsExactly(
        "drained: health NOT_SERVING until the node stops",
        "records: 11 of 12 handed off to other nodes",
        "announcements: 2 withdrawn");
    assertThat(cli.admin.drains).hasValue(1);
  }

  @Test
  void drain_again_saysSo_andWhenTheTimeRanOut() {
    cli.admin.drain(DrainResponse.newBuilder().setRecordsHeld(3).setRecordsHandedOff(1)
        .setAlreadyDrained(true).setTimedOut(true).build());

    cli.run("drain");

    assertThat(cli.out().lines()).containsExactly(
        "drained already; health NOT_SERVING until the node stops",
        "records: 1 of 3 handed off to other nodes (the time ran out first: run drain again with "
            + "a longer --timeout)",
        "announcements: 0 withdrawn (withdrawn by the first drain)");
  }

  @Test
  void drain_ofAnUnreachableNode_failsWithOneLine() {
    cli.admin.failWith(Status.UNAVAILABLE.withDescription("connection refused"));

    int exit = cli.run("drain", "--json");

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err().lines()).hasSize(1).first().asString().contains("UNAVAILABLE");
  }
}
