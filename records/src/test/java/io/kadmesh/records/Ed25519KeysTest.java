package io.kadmesh.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Ed25519KeysTest {
  private static final HexFormat HEX = HexFormat.of();
  // RFC 8032 §7.1, TEST 1.
  private static final String RFC_SECRET = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
  private static final String RFC_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

  @Test
  void keyPairOfRfc8032SecretHasItsPublicKey() throws Exception {
    PrivateKey secret = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
        HEX.parseHex("302e020100300506032b657004220420" + RFC_SECRET)));

    KeyPair pair = Ed25519Keys.keyPair(secret);

    assertThat(HEX.formatHex(Ed25519Keys.raw(pair.getPublic()))).isEqualTo(RFC_PUBLIC);
  }

  @Test
  void rawPublicKeyRoundTrips() {
    KeyPair pair = Ed25519Keys.generate();
    byte[] raw = Ed25519Keys.raw(pair.getPublic());

    assertThat(raw).hasSize(32);
    assertThat(Ed25519Keys.publicKey(raw)).isEqualTo(pair.getPublic());
    assertThat(Ed25519Keys.parseHex(HEX.formatHex(raw))).isEqualTo(raw);
  }

  @Test
  void parseHexNamesTheExpectedLength() {
    assertThatThrownBy(() -> Ed25519Keys.parseHex("abcd")).hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> Ed25519Keys.parseHex("zz")).hasMessageContaining("64 hex digits");
  }

  @Test
  void writtenKeyFileReadsBackWithItsPublicKeyAndIsNeverOverwritten(@TempDir Path dir) throws Exception {
    KeyPair pair = Ed25519Keys.generate();
    Path file = dir.resolve("owner.pem");

    Ed25519Keys.write(pair.getPrivate(), file);
    KeyPair read = Ed25519Keys.read(file);

    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(read.getPublic()).isEqualTo(pair.getPublic());
    assertThat(Files.getPosixFilePermissions(file)).hasSize(2);
    assertThatThrownBy(() -> Ed25519Keys.write(Ed25519Keys.generate().getPrivate(), file))
        .isInstanceOf(FileAlreadyExistsException.class);
  }

  @Test
  void readRefusesAFileThatIsNoPrivateKey(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("not-a-key");
    Files.writeString(file, "hello");

    assertThatThrownBy(() -> Ed25519Keys.read(file)).hasMessageContaining("not a PEM private key");
  }
}
