package io.kadmesh.it;

import static io.kadmesh.it.ProcessMesh.JAR;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.records.RecordKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed and content-addressed records on a `kadmesh node` process, through the command line and
 * through the Python example (examples/python), each reading what the other wrote.
 */
class SignedRecordsProcessTest {
  private static final Path PYTHON_EXAMPLE = Path.of("../examples/python/signed_records.py");
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  private NodeProcess node;
  private String target;

  @BeforeEach
  void startNode() throws Exception {
    node = NodeLauncher.start(JAR, dir.resolve("node"), List.of());
    target = node.apiAddress();
  }

  @AfterEach
  void stopNode() throws InterruptedException {
    node.close();
  }

  @Test
  void signedRecord_throughTheCommandLine_putsComparesAndSwapsDeletesAndReadsVerified() throws Exception {
    String keyFile = dir.resolve("owner.pem").toString();
    String publicKey = ok(cli("keygen", keyFile)).stdout().strip();

    assertThat(ok(cli("put", "--target", target, "greeting", "v1", "--sign-key", keyFile)).stdout())
        .contains("(seq 1, ");
    assertThat(ok(cli("get", "--target", target, "greeting", "--public-key", publicKey)).stdout())
        .isEqualTo("v1");

    CommandRun stale = cli("put", "--target", target, "greeting", "v2", "--sign-key", keyFile,
        "--expect-seq", "0");
    assertThat(stale.exit()).as(stale.toString()).isEqualTo(4);
    assertThat(stale.stderr()).contains("FAILED_PRECONDITION", "the newest seq is 1");

    ok(cli("put", "--target", target, "greeting", "v2", "--sign-key", keyFile, "--expect-seq", "1"));
    assertThat(ok(cli("get", "--target", target, "greeting", "--public-key", publicKey, "--json"))
        .stdout()).contains("\"value\":\"v2\"", "\"seq\":2", "\"public_key\":\"" + publicKey + "\"");

    assertThat(ok(cli("delete", "--target", target, "greeting", "--sign-key", keyFile)).stdout())
        .contains("tombstone seq 3");
    CommandRun deleted = cli("get", "--target", target, "greeting", "--public-key", publicKey);
    assertThat(deleted.exit()).as(deleted.toString()).isEqualTo(1);
    assertThat(deleted.stderr()).contains("deleted (tombstone seq 3)");

    String stranger = ok(cli("keygen", dir.resolve("stranger.pem").toString())).stdout().strip();
    assertThat(cli("get", "--target", target, "greeting", "--public-key", stranger).exit()).isEqualTo(1);
  }

  @Test
  void contentRecord_throughTheCommandLine_isStoredUnderItsSha256() throws Exception {
    String key = ok(cli("put", "--target", target, "--content", "hello")).stdout().strip();

    assertThat(key).isEqualTo(HEX.formatHex(RecordKeys.contentKey("hello".getBytes(StandardCharsets.UTF_8))));
    assertThat(ok(cli("get", "--target", target, "--content", key)).stdout()).isEqualTo("hello");
    assertThat(cli("get", "--target", target, "--content", "00".repeat(32)).exit()).isEqualTo(1);
  }

  @Test
  void pythonExample_signsWhatJavaVerifies_andVerifiesWhatJavaSigned() throws Exception {
    String python = PythonExamples.interpreterFor(PYTHON_EXAMPLE, "python3-grpcio python3-cryptography protobuf-compiler protobuf-compiler-grpc");
    String keyFile = dir.resolve("owner.pem").toString();
    String publicKey = ok(cli("keygen", keyFile)).stdout().strip();
    String signedKey = HEX.formatHex(RecordKeys.signedKey(HEX.parseHex(publicKey), "greeting"));
    String contentKey = HEX.formatHex(
        RecordKeys.contentKey("hello from Python".getBytes(StandardCharsets.UTF_8)));

    CommandRun first = ok(runPython(python, keyFile, "hello from Python"));

    assertThat(first.stdout().lines()).containsExactly(
        "public key " + publicKey,
        "stored seq 1 on 1 replica(s), key " + signedKey,
        "read back seq 1: hello from Python (signature verified)",
        "content key " + contentKey + ": hello from Python (hash verified)");
    assertThat(ok(cli("get", "--target", target, "greeting", "--public-key", publicKey)).stdout())
        .isEqualTo("hello from Python");

    ok(cli("put", "--target", target, "greeting", "from Java", "--sign-key", keyFile));
    CommandRun after = ok(runPython(python, keyFile, "after Java"));
    assertThat(after.stdout()).contains("stored seq 3 on", "read back seq 3: after Java");
  }

  private CommandRun runPython(String python, String keyFile, String value) throws Exception {
    return CommandRun.of(List.of(python, PYTHON_EXAMPLE.toString(), target, keyFile, "greeting", value));
  }

  private static CommandRun ok(CommandRun run) {
    assertThat(run.exit()).as(run.toString()).isZero();
    return run;
  }

  private static CommandRun cli(String... args) throws Exception {
    return KadmeshCli.run(args);
  }
}
