package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.records.SignedPayload;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** put, get and delete of signed records against the fake node, which verifies what it keeps. */
class SignedRecordCommandsTest {

  private final CliHarness cli = new CliHarness();

  @TempDir Path dir;

  private String keyFile;
  private String publicKey;

  @BeforeEach
  void keygen() {
    keyFile = dir.resolve("owner.pem").toString();
    assertThat(cli.run("keygen", keyFile)).isEqualTo(ExitCodes.OK);
    publicKey = cli.out().strip();
  }

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void put_withSignKey_storesASignedRecordAndPrintsSeqExpiryAndKey() {
    int exit = cli.run("put", "profile", "v1", "--sign-key", keyFile);

    assertThat(exit).isEqualTo(ExitCodes.OK);
    String key = HexFormat.of().formatHex(
        RecordKeys.signedKey(HexFormat.of().parseHex(publicKey), "profile"));
    assertThat(cli.out()).isEqualTo("stored on 3 replicas (seq 1, expires 2030-01-02T00:00:00Z, key "
        + key + ")" + System.lineSeparator());
    SignedRecord sent = cli.dht.lastPutSigned().getRecord();
    assertThat(new SignedPayload("profile", 1, "v1".getBytes(StandardCharsets.UTF_8), sent.getExpiresAt().getSeconds(), false)
        .verify(HexFormat.of().parseHex(publicKey), sent.getSignature().toByteArray())).isTrue();
    assertThat(cli.dht.lastPut()).isNull();
  }

  @Test
  void get_withPublicKey_writesTheVerifiedValuesBytesAlone() {
    cli.run("put", "profile", "hello", "--sign-key", keyFile);

    int exit = cli.run("get", "profile", "--public-key", publicKey);

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.rawOutAsString()).isEqualTo("hello");
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void get_withPublicKeyAndJson_printsValueSeqExpiryAndPublicKey() {
    cli.run("put", "profile", "v1", "--sign-key", keyFile);
    cli.run("put", "profile", "v2", "--sign-key", keyFile, "--ttl", "1h");

    cli.run("get", "profile", "--public-key", publicKey, "--json");

    assertThat(cli.out().strip()).isEqualTo("{\"name\":\"profile\",\"value\":\"v2\",\"value_base64\":\"djI=\","
        + "\"seq\":2,\"expires_at\":\"2030-01-01T01:00:00Z\",\"public_key\":\"" + publicKey + "\"}");
  }

  @Test
  void put_withSignKeyAndJson_printsOneObjectWithSeqKeyAndPublicKey() {
    cli.run("put", "n", "v", "--sign-key", keyFile, "--json");

    assertThat(cli.out().strip()).startsWith("{\"replicas\":3,\"seq\":1,\"tombstone\":false,"
        + "\"expires_at\":\"2030-01-02T00:00:00Z\",\"key\":\"")
        .endsWith("\"public_key\":\"" + publicKey + "\"}");
  }

  @Test
  void get_ofAnUnknownName_exits1() {
    int exit = cli.run("get", "nobody", "--public-key", publicKey);

    assertThat(exit).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.err()).isEqualTo("kadmesh: signed record 'nobody' not found" + System.lineSeparator());
    assertThat(cli.rawOut()).isEmpty();
  }

  @Test
  void delete_withSignKey_writesASignedTombstone_andGetThenExits1NamingItsSeq() {
    cli.run("put", "n", "v", "--sign-key", keyFile);

    int exit = cli.run("delete", "n", "--sign-key", keyFile);

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo("deleted (tombstone seq 2 on 3 replicas)" + System.lineSeparator());
    assertThat(cli.dht.lastPutSigned().getRecord().getTombstone()).isTrue();
    assertThat(cli.run("get", "n", "--public-key", publicKey)).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(cli.err()).isEqualTo(
        "kadmesh: signed record 'n' is deleted (tombstone seq 2)" + System.lineSeparator());
  }

  @Test
  void put_withExpectSeqThatMatches_writesTheNextSeq() {
    cli.run("put", "n", "v1", "--sign-key", keyFile);

    int exit = cli.run("put", "n", "v2", "--sign-key", keyFile, "--expect-seq", "1");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("(seq 2,");
    assertThat(cli.dht.lastPutSigned().getExpectedSeq()).isEqualTo(1);
  }

  @Test
  void put_withStaleExpectSeq_exits4NamingTheSeqFound() {
    cli.run("put", "n", "v1", "--sign-key", keyFile);
    cli.run("put", "n", "v2", "--sign-key", keyFile);

    int exit = cli.run("put", "n", "v3", "--sign-key", keyFile, "--expect-seq", "1");

    assertThat(exit).isEqualTo(ExitCodes.CONFLICT);
    assertThat(cli.err().lines()).containsExactly("kadmesh: FAILED_PRECONDITION: expected seq 1, "
        + "found seq 2 (the newest seq is 2: read it, then --expect-seq 2)");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void delete_withStaleExpectSeq_exits4() {
    assertThat(cli.run("delete", "n", "--sign-key", keyFile, "--expect-seq", "3"))
        .isEqualTo(ExitCodes.CONFLICT);
    assertThat(cli.err()).contains("the newest seq is 0");
  }

  @Test
  void put_whenReplicasHoldAHigherSeq_exits4() {
    cli.dht.failWith(Status.ABORTED.withDescription("replicas hold seq 9"));

    assertThat(cli.run("put", "n", "v", "--sign-key", keyFile, "--expect-seq", "0"))
        .isEqualTo(ExitCodes.CONFLICT);
    assertThat(cli.err().lines()).containsExactly("kadmesh: ABORTED: replicas hold seq 9");
  }

  @Test
  void get_ofAForgedRecord_exits3AndWritesNothing() {
    cli.run("put", "n", "real", "--sign-key", keyFile);
    cli.dht.holdSigned(cli.dht.lastPutSigned().getRecord().toBuilder()
        .setValue(ByteString.copyFromUtf8("forged")).build());

    int exit = cli.run("get", "n", "--public-key", publicKey);

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err()).startsWith("kadmesh: DATA_LOSS: ").contains("not signed by");
    assertThat(cli.rawOut()).isEmpty();
  }

  @Test
  void putAndDelete_withExpectSeqButNoSignKey_areUsageErrorsThatCallNothing() {
    assertThat(cli.run("put", "n", "v", "--expect-seq", "1")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("--expect-seq needs --sign-key");
    assertThat(cli.run("delete", "n", "--expect-seq", "1")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void put_withNegativeExpectSeq_isAUsageError() {
    assertThat(cli.run("put", "n", "v", "--sign-key", keyFile, "--expect-seq", "-1"))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void put_withMissingSignKeyFile_isAUsageErrorThatCallsNothing() {
    int exit = cli.run("put", "n", "v", "--sign-key", dir.resolve("absent.pem").toString());

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Cannot read --sign-key", "no such file");
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void delete_withASignKeyFileThatIsNoKey_isAUsageError() throws Exception {
    Path notAKey = Files.writeString(dir.resolve("notes.txt"), "hello");

    assertThat(cli.run("delete", "n", "--sign-key", notAKey.toString())).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("is not a PEM private key");
    assertThat(cli.err().lines()).hasSize(1);
  }

  @Test
  void get_withBadPublicKeyHex_isAUsageErrorThatCallsNothing() {
    assertThat(cli.run("get", "n", "--public-key", "abc")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Invalid --public-key: a public key is 64 hex digits");
    assertThat(cli.run("get", "n", "--public-key", "zz".repeat(32))).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void get_withPublicKeyAndContent_isAUsageError() {
    assertThat(cli.run("get", "n", "--public-key", publicKey, "--content")).isEqualTo(ExitCodes.USAGE);
  }
}
