package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.records.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeygenCommandTest {

  private final CliHarness cli = new CliHarness();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    cli.close();
  }

  @Test
  void keygen_writesAPemPrivateKeyAndPrintsItsPublicKeyInHexAlone() throws Exception {
    Path file = dir.resolve("owner.pem");

    int exit = cli.run("keygen", file.toString());

    assertThat(exit).isEqualTo(ExitCodes.OK);
    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
    String publicKey = HexFormat.of().formatHex(Ed25519Keys.raw(Ed25519Keys.read(file).getPublic()));
    assertThat(cli.out()).isEqualTo(publicKey + System.lineSeparator());
    assertThat(cli.err()).isEmpty();
    assertThat(cli.dialled).isEmpty();
  }

  @Test
  void keygen_twice_makesTwoDifferentKeys() {
    cli.run("keygen", dir.resolve("a.pem").toString());
    String first = cli.out();
    cli.run("keygen", dir.resolve("b.pem").toString());

    assertThat(cli.out()).isNotEqualTo(first);
  }

  @Test
  void keygen_overAnExistingFile_refusesWithExit2AndLeavesTheFileAlone() throws Exception {
    Path file = dir.resolve("owner.pem");
    Files.writeString(file, "the only copy");

    int exit = cli.run("keygen", file.toString());

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err().lines()).singleElement().asString()
        .startsWith("kadmesh: " + file + " exists; keygen never overwrites a key");
    assertThat(cli.out()).isEmpty();
    assertThat(Files.readString(file)).isEqualTo("the only copy");
  }

  @Test
  void keygen_intoAMissingDirectory_isAUsageError() {
    int exit = cli.run("keygen", dir.resolve("no/such/dir/owner.pem").toString());

    assertThat(exit).isEqualTo(ExitCodes.USAGE);
    assertThat(cli.err()).contains("no such directory");
  }

  @Test
  void keygen_withoutFile_isAUsageError() {
    assertThat(cli.run("keygen")).isEqualTo(ExitCodes.USAGE);
  }
}
