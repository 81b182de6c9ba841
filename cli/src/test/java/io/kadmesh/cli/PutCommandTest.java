package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PutCommandTest {

  private final CliHarness cli = new CliHarness();

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void put_keyAndValue_storesUtf8AndReportsReplicasVersionAndExpiry() {
    int exit = cli.run("put", "colour", "blue");

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.dht.lastPut().getKey()).isEqualTo("colour");
    assertThat(cli.dht.lastPut().getValue()).isEqualTo(ByteString.copyFromUtf8("blue"));
    assertThat(cli.out())
        .isEqualTo(
            "stored on 3 replicas (version 1001 by abababab, expires 2030-01-02T00:00:00Z)"
                + System.lineSeparator());
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void put_storedOnOneReplica_saysReplicaInTheSingular() {
    cli.dht.replicas(1);

    cli.run("put", "k", "v");

    assertThat(cli.out()).startsWith("stored on 1 replica (");
  }

  @Test
  void put_withoutTarget_dialsTheDefaultApiAddress() {
    cli.run("put", "k", "v");

    assertThat(cli.dialled).containsExactly(Defaults.API_ADDRESS);
  }

  @Test
  void put_withTarget_dialsIt() {
    cli.run("put", "--target", "node-3:7700", "k", "v");

    assertThat(cli.dialled).containsExactly("node-3:7700");
  }

  @Test
  void put_withShortTtl_sendsItInSeconds() {
    assertThat(cli.run("put", "k", "v", "--ttl", "5m")).isEqualTo(ExitCodes.OK);

    assertThat(cli.dht.lastPut().getTtl().getSeconds()).isEqualTo(300);
  }

  @Test
  void put_withIsoTtl_sendsIt() {
    cli.run("put", "k", "v", "--ttl", "PT30S");

    assertThat(cli.dht.lastPut().getTtl().getSeconds()).isEqualTo(30);
  }

  @Test
  void put_withBadTtl_isAUsageErrorOnOneLineAndCallsNothing() {
    int exit = cli.run("put", "k", "v", "--ttl", "soon");

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).startsWith("kadmesh: ").contains("invalid duration 'soon'");
    assertThat(cli.err().lines()).hasSize(1);
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void put_withFile_storesTheFilesBytes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("value.bin");
    Files.write(file, new byte[] {0, (byte) 0xff, 10});

    int exit = cli.run("put", "k", "--file", file.toString());

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(cli.dht.lastPut().getValue().toByteArray()).containsExactly(0, 0xff, 10);
  }

  @Test
  void put_withFileDash_storesStdin() {
    cli.stdin = new byte[] {1, 2, 3};

    cli.run("put", "k", "--file", "-");

    assertThat(cli.dht.lastPut().getValue().toByteArray()).containsExactly(1, 2, 3);
  }

  @Test
  void put_withMissingFile_isAUsageError(@TempDir Path dir) {
    int exit = cli.run("put", "k", "--file", dir.resolve("absent").toString());

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("no such file");
  }

  @Test
  void put_withNeitherValueNorFile_isAUsageError() {
    assertThat(cli.run("put", "k")).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("Give either VALUE or --file");
  }

  @Test
  void put_withBothValueAndFile_isAUsageError() {
    assertThat(cli.run("put", "k", "v", "--file", "-")).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void put_withJson_printsOneJsonObject() {
    cli.run("put", "k", "v", "--json");

    assertThat(cli.out().strip())
        .isEqualTo(
            "{\"replicas\":3,\"version\":{\"sequence\":1001,\"writer_id\":\""
                + "ab".repeat(32)
                + "\"},\"expires_at\":\"2030-01-02T00:00:00Z\"}");
  }

  @Test
  void put_thatLostToANewerVersion_exits4WithTheNodesOneLineMessage() {
    String lost = "a newer version of this key exists (written by 1a2b3c4d at "
        + "2030-01-01T00:00:30Z); this write lost: retry to write over it";
    cli.dht.failWith(Status.ABORTED.withDescription(lost));

    int exit = cli.run("put", "k", "v");

    assertThat(exit).isEqualTo(ExitCodes.CONFLICT);
    assertThat(cli.err()).isEqualTo("kadmesh: ABORTED: " + lost + System.lineSeparator());
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void put_rejectedByTheNode_exits3WithTheCodeAndTheNodesMessage() {
    cli.dht.failWith(
        Status.INVALID_ARGUMENT.withDescription("key is 1500 bytes, the limit is 1024"));

    int exit = cli.run("put", "k", "v");

    assertThat(exit).isEqualTo(ExitCodes.FAILURE);
    assertThat(cli.err())
        .isEqualTo(
            "kadmesh: INVALID_ARGUMENT: key is 1500 bytes, the limit is 1024"
                + System.lineSeparator());
    assertThat(cli.out()).isEmpty();
  }
}
