package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.NodeId;
import io.kadmesh.tls.testing.TestPki;
import org.junit.jupiter.api.Test;

class CertificateIdentityTest {
  private final TestPki ca = TestPki.authority("identity CA");

  @Test
  void name_isTheFirstUri_beforeDnsNamesAndTheCn() {
    var cert = ca.issue("cn-name", "DNS:dns-name", "URI:kadmesh://first", "URI:kadmesh://second").certificate();

    assertThat(CertificateIdentity.name(cert)).contains("kadmesh://first");
    assertThat(CertificateIdentity.nodeId(cert)).isEqualTo(NodeId.ofKey("kadmesh://first"));
  }

  @Test
  void name_withoutAUri_isTheFirstDnsName_andWithoutEitherTheCn() {
    assertThat(CertificateIdentity.name(ca.issue("cn-name", "IP:127.0.0.1", "DNS:a.example", "DNS:b.example")
        .certificate())).contains("a.example");
    assertThat(CertificateIdentity.name(ca.issue("cn-name", "IP:127.0.0.1").certificate())).contains("cn-name");
  }

  @Test
  void nodeId_ofACertificateWithoutNames_isRefusedSayingWhatItNeeds() {
    var cert = ca.issue(null, "IP:127.0.0.1").certificate();

    assertThatThrownBy(() -> CertificateIdentity.nodeId(cert))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("names no node")
        .hasMessageContaining("URI or DNS subject alternative name, or a CN");
  }

  @Test
  void nodeId_ofAReissuedCertificate_isTheSame() {
    var first = ca.node("kadmesh://node-7");
    var reissued = ca.node("kadmesh://node-7");

    assertThat(reissued.serial()).isNotEqualTo(first.serial());
    assertThat(CertificateIdentity.nodeId(reissued.certificate()))
        .isEqualTo(CertificateIdentity.nodeId(first.certificate()));
  }
}
