package io.kadmesh.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.tls.TlsCredentials.HostCheck;
import io.kadmesh.tls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCredentialsTest {
  @TempDir Path dir;
  private final TestPki ca = TestPki.authority("test CA");

  private TlsFiles nodeFiles() {
    return ca.node("kadmesh://node-1").write(dir, "node", ca.writeCertificate(dir.resolve("ca.crt")));
  }

  @Test
  void load_ofAValidCertificateKeyAndCa_presentsTheCertificate() {
    TlsFiles files = nodeFiles();

    TlsCredentials credentials = TlsCredentials.load(files, HostCheck.CHAIN_ONLY);

    assertThat(credentials.certificate().getSubjectX500Principal().getName()).contains("kadmesh tests");
    assertThat(credentials.serverCredentials()).isNotNull();
    assertThat(credentials.channelCredentials()).isNotNull();
  }

  @Test
  void load_ofAMissingFile_failsNamingIt() {
    TlsFiles files = new TlsFiles(dir.resolve("none.crt"), dir.resolve("none.key"), null);

    assertThatThrownBy(() -> TlsCredentials.load(files, HostCheck.CHAIN_ONLY))
        .isInstanceOf(TlsFileException.class)
        .hasMessage(dir.resolve("none.crt") + ": no such file");
  }

  @Test
  void load_ofAFileThatIsNoCertificate_failsNamingIt() throws Exception {
    TlsFiles good = nodeFiles();
    Files.writeString(good.certificate(), "hello");

    assertThatThrownBy(() -> TlsCredentials.load(good, HostCheck.CHAIN_ONLY))
        .isInstanceOf(TlsFileException.class)
        .hasMessageStartingWith(good.certificate() + ": ");
  }

  @Test
  void load_ofAPkcs1Key_saysHowToConvertIt() throws Exception {
    TlsFiles good = nodeFiles();
    Files.writeString(good.privateKey(), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");

    assertThatThrownBy(() -> TlsCredentials.load(good, HostCheck.CHAIN_ONLY))
        .isInstanceOf(TlsFileException.class)
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  @Test
  void load_ofAKeyOfAnotherCertificate_failsNamingBoth() {
    TlsFiles one = nodeFiles();
    TlsFiles other = ca.node("kadmesh://node-2").write(dir, "other", one.authority());
    TlsFiles mixed = new TlsFiles(one.certificate(), other.privateKey(), one.authority());

    assertThatThrownBy(() -> TlsCredentials.load(mixed, HostCheck.CHAIN_ONLY))
        .isInstanceOf(TlsFileException.class)
        .hasMessage(other.privateKey() + " is not the private key of the certificate in " + one.certificate());
  }

  @Test
  void reload_afterTheFilesChanged_presentsTheNewCertificate_andUnchangedFilesChangeNothing() {
    TlsFiles files = nodeFiles();
    TlsCredentials credentials = TlsCredentials.load(files, HostCheck.CHAIN_ONLY);
    assertThat(credentials.reload()).isFalse();

    TestPki.Issued renewed = ca.node("kadmesh://node-1");
    renewed.write(dir, "node", files.authority());

    assertThat(credentials.reload()).isTrue();
    assertThat(credentials.certificate().getSerialNumber()).isEqualTo(renewed.serial());
    assertThat(credentials.reload()).isFalse();
  }

  @Test
  void reload_ofACertificateTheIdentityCheckRefuses_keepsTheOldOne() {
    TlsFiles files = nodeFiles();
    TlsCredentials credentials = TlsCredentials.load(files, HostCheck.CHAIN_ONLY, cert -> {
      if (cert.toString().contains("node-2")) throw new TlsFileException("names another node");
    });
    var before = credentials.certificate();

    ca.node("kadmesh://node-2").write(dir, "node", files.authority());

    assertThatThrownBy(credentials::reload).hasMessage("names another node");
    assertThat(credentials.certificate()).isEqualTo(before);
  }

  @Test
  void serverCredentials_withoutACertificate_areRefused() {
    TlsCredentials client = TlsCredentials.load(
        TlsFiles.trusting(ca.writeCertificate(dir.resolve("ca.crt"))), HostCheck.HOST_NAME);

    assertThat(client.certificate()).isNull();
    assertThatThrownBy(client::serverCredentials).isInstanceOf(IllegalStateException.class);
  }
}
