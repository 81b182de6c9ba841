package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GetCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void get_ofStoredBinaryValue_writesExactlyItsBytesAndNothingElse(@TempDir Path dir)
      throws Exception {
    byte[] binary = {0, (byte) 0xc3, 0x28, 10, (byte) 0xff};
    Files.write(dir.resolve("v"), binary);
    cli.run("put", "k", "--file", dir.resolve("v").toString());

    int exit = cli.run("get", "k");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.rawOut()).containsExactly(binary);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void get_ofStoredText_addsNoNewline() {
    cli.run("put", "k", "hello");

    cli.run("get", "k");

    assertThat(cli.rawOutAsString()).isEqualTo("hello");
  }

  @Test
  void get_ofUnknownKey_exits1WithOneLineOnStderrAndNothingOnStdout() {
    int exit = cli.run("get", "ghost");

    assertThat(exit).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.err()).isEqualTo("kadmesh: key 'ghost' not found" + System.lineSeparator());
    assertThat(cli.rawOut()).isEmpty();
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void get_withJsonOfText_printsValueBase64VersionAndExpiry() {
    cli.run("put", "k", "say \"hi\"\n");

    cli.run("get", "k", "--json");

    assertThat(cli.out().strip())
        .isEqualTo(
            "{\"key\":\"k\",\"value\":\"say \\\"hi\\\"\\n\",\"value_base64\":\"c2F5ICJoaSIK\","
                + "\"version\":{\"sequence\":1001,\"writer_id\":\""
                + "ab".repeat(32)
                + "\"},\"expires_at\":\"2030-01-02T00:00:00Z\"}");
    assertThat(cli.rawOut()).isEmpty();
  }

  @Test
  void get_withJsonOfInvalidUtf8_printsNullValueAndBase64() {
    cli.stdin = new byte[] {(byte) 0xc3, 0x28};
    cli.run("put", "k", "--file", "-");

    cli.run("get", "k", "--json");

    assertThat(cli.out()).contains("\"value\":null,\"value_base64\":\"wyg=\"");
  }

  @Test
  void get_withQuorum_sendsItInTheRequest_andDefaultsTo0() {
    cli.run("put", "k", "hello");

    assertThat(cli.run("get", "k", "--quorum", "1")).isEqualTo(ExitCodes.OK);
    assertThat(cli.dht.lastGet().getQuorum()).isEqualTo(1);
    assertThat(cli.rawOutAsString()).isEqualTo("hello");

    cli.run("get", "k");
    assertThat(cli.dht.lastGet().getQuorum()).isZero();
  }

  @Test
  void get_withQuorumBelow1_isAUsageErrorNamingTheFlag_andSendsNothing() {
    int exit = cli.run("get", "k", "--quorum", "0");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Invalid --quorum: must be 1 or more");
    assertThat(cli.dht.lastGet()).isNull();
  }

  @Test
  void get_withQuorumAndContent_isAUsageError() {
    int exit = cli.run("get", "ab".repeat(32), "--content", "--quorum", "1");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--quorum applies to plain keys only");
  }

  @Test
  void get_whenTheNodeRefusesTheQuorum_exits3WithItsMessage() {
    cli.dht.failWith(Status.INVALID_ARGUMENT.withDescription("quorum must be 0 to k = 20"));

    assertThat(cli.run("get", "k", "--quorum", "21")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err())
        .isEqualTo("kadmesh: INVALID_ARGUMENT: quorum must be 0 to k = 20" + System.lineSeparator());
  }

  @Test
  void get_whenTheNodeIsOverloaded_exits3WithTheStatus() {
    cli.dht.failWith(Status.RESOURCE_EXHAUSTED.withDescription("rate limit hit"));

    assertThat(cli.run("get", "k")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err()).isEqualTo("kadmesh: RESOURCE_EXHAUSTED: rate limit hit" + System.lineSeparator());
  }
}
