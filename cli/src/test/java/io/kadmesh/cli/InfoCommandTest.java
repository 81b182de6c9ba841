package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.proto.v1.GetNodeInfoResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InfoCommandTest {

  /** A node that predates the limits and the storage fields. */
  private static final GetNodeInfoResponse OLDER_NODE =
      FakeDht.NODE_INFO.toBuilder()
          .clearMaxRecords()
          .clearMaxStoredBytes()
          .clearStorage()
          .clearDataDir()
          .setLiveContacts(5)
          .build();

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void info_ofANodeWithoutLimits_printsIdAddressesParametersBucketsRecordsAndUptime() {
    cli.dht.nodeInfo(OLDER_NODE);

    int exit = cli.run("info");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().lines())
        .containsExactly(
            "node ID       " + "0f".repeat(32),
            "network       kadmesh",
            "peer address  0.0.0.0:7701",
            "API address   127.0.0.1:7700",
            "advertised    10.0.0.5:7701",
            "k / alpha     20 / 3",
            "status        serving",
            "write quorum  2",
            "contacts      5",
            "  bucket 254: 3 contacts (0 waiting)",
            "  bucket 255: 2 contacts (1 waiting)",
            "records       42 (1234 bytes)",
            "uptime        1h 2m 3s");
  }

  @Test
  void info_ofANodeReportingLimitsAndStorage_printsThemAfterTheRecords() {
    cli.dht.nodeInfo(FakeDht.NODE_INFO);

    int exit = cli.run("info");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().lines())
        .containsSequence(
            "records       42 (1234 bytes)",
            "limits        1000000 records, 1073741824 bytes",
            "storage       rocksdb in /var/lib/kadmesh",
            "uptime        1h 2m 3s");
  }

  @Test
  void info_ofACutOffNodeWithStaleContacts_saysSoAndCountsTheLiveOnes() {
    cli.dht.nodeInfo(FakeDht.NODE_INFO.toBuilder().setLiveContacts(0).setCutOff(true).build());

    cli.run("info");

    assertThat(cli.out().lines()).contains(
        "status        cut off: reaches no peer; retrying its saved contacts and bootstrap addresses",
        "contacts      5 (0 live)");
  }

  @Test
  void info_ofAnInMemoryNode_printsTheEngineWithoutADirectory() {
    cli.dht.nodeInfo(OLDER_NODE.toBuilder().setMaxRecords(10).setMaxStoredBytes(20).setStorage("memory").build());

    cli.run("info");

    assertThat(cli.out().lines()).contains("limits        10 records, 20 bytes", "storage       memory");
  }

  @Test
  void info_withJson_printsOneObjectWithTheNodeIdInHexAndSnakeCaseFields() {
    cli.dht.nodeInfo(FakeDht.NODE_INFO);

    int exit = cli.run("info", "--json");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out().lines()).hasSize(1);
    JsonObject json = JsonParser.parseString(cli.out()).getAsJsonObject();
    assertThat(json.get("node_id").getAsString()).isEqualTo("0f".repeat(32));
    assertThat(json.get("network").getAsString()).isEqualTo("kadmesh");
    assertThat(json.get("peer_address").getAsString()).isEqualTo("0.0.0.0:7701");
    assertThat(json.get("api_address").getAsString()).isEqualTo("127.0.0.1:7700");
    assertThat(json.get("advertise_address").getAsString()).isEqualTo("10.0.0.5:7701");
    assertThat(json.get("k").getAsInt()).isEqualTo(20);
    assertThat(json.get("alpha").getAsInt()).isEqualTo(3);
    assertThat(json.get("contacts").getAsInt()).isEqualTo(5);
    assertThat(json.get("live_contacts").getAsInt()).isEqualTo(4);
    assertThat(json.get("cut_off").getAsBoolean()).isFalse();
    assertThat(json.get("write_quorum").getAsInt()).isEqualTo(2);
    assertThat(json.get("buckets").toString())
        .isEqualTo(
            "[{\"index\":254,\"contacts\":3,\"replacements\":0},"
                + "{\"index\":255,\"contacts\":2,\"replacements\":1}]");
    assertThat(json.get("storage").toString())
        .isEqualTo(
            "{\"records\":42,\"stored_bytes\":1234,\"max_records\":1000000,"
                + "\"max_stored_bytes\":1073741824,\"engine\":\"rocksdb\","
                + "\"data_dir\":\"/var/lib/kadmesh\"}");
    assertThat(json.get("started_at").getAsString())
        .isEqualTo(FakeDht.NOW.minus(Duration.ofSeconds(3723)).toString());
  }

  @Test
  void info_withJson_ofANodeWithoutStartTime_printsNullForIt() {
    cli.run("info", "--json");

    assertThat(JsonParser.parseString(cli.out()).getAsJsonObject().get("started_at").isJsonNull())
        .isTrue();
  }

  @Test
  void info_ofAFreshNodeWithNoStartTime_saysUptimeUnknown() {
    int exit = cli.run("info");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("uptime        unknown");
  }
}
