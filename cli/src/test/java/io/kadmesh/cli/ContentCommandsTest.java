package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kadmesh.proto.v1.GetContentResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** put --content and get --content against the fake node. */
class ContentCommandsTest {

  private static final String HELLO_KEY =
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void putContent_printsTheSha256KeyInHexAlone() {
    int exit = cli.run("put", "--content", "hello");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo(HELLO_KEY + System.lineSeparator());
    assertThat(cli.dht.lastPutContent().getValue()).isEqualTo(ByteString.copyFromUtf8("hello"));
  }

  @Test
  void putContent_fromStdinWithTtlAndJson_printsKeyReplicasAndExpiry() {
    cli.stdin = "hello".getBytes();

    cli.run("put", "--content", "--file", "-", "--ttl", "1h", "--json");

    assertThat(cli.out().strip()).isEqualTo("{\"key\":\"" + HELLO_KEY
        + "\",\"replicas\":3,\"expires_at\":\"2030-01-01T01:00:00Z\"}");
    assertThat(cli.dht.lastPutContent().getTtl().getSeconds()).isEqualTo(3600);
  }

  @Test
  void getContent_writesTheValuesBytesAlone() {
    cli.run("put", "--content", "hello");

    int exit = cli.run("get", "--content", HELLO_KEY);

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.rawOutAsString()).isEqualTo("hello");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void getContent_withJson_printsKeyValueAndExpiry() {
    cli.run("put", "--content", "hello");

    cli.run("get", "--content", HELLO_KEY, "--json");

    assertThat(cli.out().strip()).isEqualTo("{\"key\":\"" + HELLO_KEY
        + "\",\"value\":\"hello\",\"value_base64\":\"aGVsbG8=\",\"expires_at\":\"2030-01-02T00:00:00Z\"}");
  }

  @Test
  void getContent_ofAnUnknownKey_exits1() {
    assertThat(cli.run("get", "--content", "00".repeat(32))).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.err()).isEqualTo("kadmesh: content key " + "00".repeat(32) + " not found"
        + System.lineSeparator());
  }

  @Test
  void getContent_answeredWithAValueOfAnotherHash_exits3AndWritesNothing() {
    cli.dht.answerGetContent(GetContentResponse.newBuilder()
        .setFound(true).setValue(ByteString.copyFromUtf8("hellO")).build());

    assertThat(cli.run("get", "--content", HELLO_KEY)).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err()).startsWith("kadmesh: DATA_LOSS: GetContent answered a value whose SHA-256");
    assertThat(cli.rawOut()).isEmpty();
  }

  @Test
  void getContent_withBadHex_isAUsageErrorThatCallsNothing() {
    assertThat(cli.run("get", "--content", "hello")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Invalid content key: a content key is 64 hex digits, got 'hello'");
    assertThat(cli.run("get", "--content", "ab")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("got 2");
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void putContent_withAKeyAndAValue_isAUsageError() {
    assertThat(cli.run("put", "--content", "k", "v")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--content takes a VALUE (or --file) and no KEY");
  }

  @Test
  void putContent_withSignKey_isAUsageError(@TempDir Path dir) {
    assertThat(cli.run("put", "--content", "v", "--sign-key", dir.resolve("k.pem").toString()))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("not signed");
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void putContent_withNeitherValueNorFile_isAUsageError() {
    assertThat(cli.run("put", "--content")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void put_withoutKeyOrContent_isAUsageError() {
    assertThat(cli.run("put")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Missing KEY");
  }
}
