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
  void get_whenTheNodeIsOverloaded_exits3WithTheStatus() {
    cli.dht.failWith(Status.RESOURCE_EXHAUSTED.withDescription("rate limit hit"));

    assertThat(cli.run("get", "k")).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err()).isEqualTo("kadmesh: RESOURCE_EXHAUSTED: rate limit hit" + System.lineSeparator());
  }
}
