package io.kadmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kadmesh.cli.bench.NodeProcess;
import io.kadmesh.client.KadmeshChannels;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import io.kadmesh.tls.TlsFiles;
import io.kadmesh.tls.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `kadmesh node` processes with mutual TLS on both ports, certificates made by the test's own CA:
 * who may join and call, the ID a certificate binds, and certificates rotated on disk.
 */
class MutualTlsProcessTest {
  private static final String NETWORK = "mtls-it";

  @TempDir Path dir;
  private final TestPki ca = TestPki.authority("kadmesh test CA");
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private Path caFile;
  private TlsFiles client;

  @BeforeEach
  void makeCa() throws Exception {
    Files.createDirectories(dir.resolve("pki"));
    caFile = ca.writeCertificate(dir.resolve("pki/ca.crt"));
    client = ca.issue("app", "URI:kadmesh://app").write(dir.resolve("pki"), "app", caFile);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    for (NodeProcess node : nodes) {
      node.terminate();
    }
    for (NodeProcess node : nodes) {
      node.close();
    }
  }

  /** A node named kadmesh://NAME by a certificate of {@code issuer}, mTLS on both ports. */
  private NodeProcess start(String name, TestPki issuer, Path trusted, List<String> args) throws Exception {
    TlsFiles files = issuer.node("kadmesh://" + name).write(dir.resolve("pki"), name, trusted);
    List<String> all = new ArrayList<>(List.of("--network", NETWORK,
        "--tls-cert", files.certificate().toString(), "--tls-key", files.privateKey().toString(),
        "--tls-ca", trusted.toString(),
        "--api-tls-cert", files.certificate().toString(), "--api-tls-key", files.privateKey().toString(),
        "--api-tls-ca", trusted.toString(),
        "--tls-reload-interval", "200ms"));
    all.addAll(args);
    NodeProcess node = NodeLauncher.start(ProcessMesh.JAR, dir.resolve(name), all);
    nodes.add(node);
    return node;
  }

  private KadmeshClient clientOf(NodeProcess node) throws Exception {
    KadmeshClient c = KadmeshClient.connect(node.apiAddress(), client);
    clients.add(c);
    return c.withTimeout(Duration.ofSeconds(5));
  }

  private String[] tlsFlags() {
    return new String[] {"--tls-ca", caFile.toString(), "--tls-cert", client.certificate().toString(),
        "--tls-key", client.privateKey().toString()};
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void threeNodes_withMutualTls_joinAndServePutAndGet_fromTheCommandLineAndTheClient() throws Exception {
    NodeProcess first = start("node-0", ca, caFile, List.of());
    start("node-1", ca, caFile, List.of("--bootstrap", first.peerAddress()));
    NodeProcess third = start("node-2", ca, caFile, List.of("--bootstrap", first.peerAddress()));
    for (NodeProcess node : nodes) {
      KadmeshClient c = clientOf(node);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> c.info().contacts() == 2);
    }
    assertThat(clientOf(third).info().nodeIdHex()).isEqualTo(NodeId.ofKey("kadmesh://node-2").toHex());

    CommandRun put = KadmeshCli.run(concat(new String[] {"put", "--target", nodes.get(1).apiAddress()},
        concat(tlsFlags(), "greeting", "hello over mTLS")));
    assertThat(put.exit()).as(put.toString()).isZero();
    CommandRun get = KadmeshCli.run(concat(new String[] {"get", "--target", third.apiAddress()},
        concat(tlsFlags(), "greeting")));
    assertThat(get.exit()).as(get.toString()).isZero();
    assertThat(get.stdout()).isEqualTo("hello over mTLS");
    assertThat(clientOf(first).get("greeting").orElseThrow().valueAsString()).isEqualTo("hello over mTLS");

    CommandRun ping = KadmeshCli.run(concat(new String[] {"ping", first.peerAddress()},
        concat(tlsFlags(), "--network", NETWORK)));
    assertThat(ping.exit()).as(ping.toString()).isZero();
    assertThat(ping.stdout()).contains("pong from " + NodeId.ofKey("kadmesh://node-0").toHex());
  }

  @Test
  void clients_withoutACertificate_inPlaintext_orWithBadFiles_fail_onOneLine() throws Exception {
    NodeProcess node = start("node-0", ca, caFile, List.of());
    String api = node.apiAddress();

    CommandRun noCertificate = KadmeshCli.run("get", "--target", api, "--tls-ca", caFile.toString(), "k");
    CommandRun plaintext = KadmeshCli.run("get", "--target", api, "k");
    CommandRun missingFile = KadmeshCli.run(concat(new String[] {"get", "--target", api},
        "--tls-ca", dir.resolve("none.crt").toString(), "k"));
    CommandRun peerWithoutCertificate = KadmeshCli.run("ping", node.peerAddress(),
        "--tls-ca", caFile.toString(), "--network", NETWORK);

    for (CommandRun r : List.of(noCertificate, plaintext, missingFile, peerWithoutCertificate)) {
      assertThat(r.exit()).as(r.toString()).isEqualTo(3);
      assertThat(r.stderr().strip().lines().count()).as(r.toString()).isEqualTo(1);
      assertThat(r.stderr()).as(r.toString()).doesNotContain("\tat ");
    }
    assertThat(noCertificate.stderr()).contains("UNAVAILABLE: TLS with " + api + " failed:", "CERTIFICATE_REQUIRED");
    assertThat(plaintext.stderr()).as(plaintext.toString())
        .contains("UNAVAILABLE: " + api + " closed the connection", "(if the node serves TLS, pass --tls-ca)");
    assertThat(missingFile.stderr()).contains(dir.resolve("none.crt") + ": no such file");
  }

  @Test
  void nodeWithACertificateOfAnotherCa_isNeverListed_andCannotCall() throws Exception {
    NodeProcess member = start("node-0", ca, caFile, List.of());
    TestPki otherCa = TestPki.authority("stranger CA");
    Path otherCaFile = otherCa.writeCertificate(dir.resolve("pki/other-ca.crt"));
    NodeProcess stranger = start("stranger", otherCa, otherCaFile, List.of("--bootstrap", member.peerAddress()));
    stranger.apiAddress();
    KadmeshClient memberClient = clientOf(member);

    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
        .until(() -> memberClient.info().contacts() == 0);
    assertThat(stranger.logText()).doesNotContain("serving: 1 contacts");
  }

  @Test
  void requestClaimingAnotherNodesId_withAValidCertificate_isRefusedPermissionDenied() throws Exception {
    NodeProcess member = start("node-0", ca, caFile, List.of());
    ManagedChannel channel = KadmeshChannels.tls(member.peerAddress(), client, HostCheck.CHAIN_ONLY);
    clients.add(channel::shutdownNow);
    NodeId victim = NodeId.ofKey("kadmesh://node-9");
    PingRequest forged = PingRequest.newBuilder().setHeader(RequestHeader.newBuilder()
        .setNetwork(NETWORK).setProtocolVersion(1)
        .setSender(Contact.newBuilder().setNodeId(ByteString.copyFrom(victim.toBytes())).setAddress("127.0.0.1:9")))
        .build();

    Throwable refused = catchThrowable(() -> KademliaGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS).ping(forged));

    Status status = Status.fromThrowable(refused);
    assertThat(status.getCode()).as(String.valueOf(refused)).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription()).isEqualTo("the certificate names node "
        + NodeId.ofKey("kadmesh://app").toHex() + ", the request claims " + victim.toHex());
  }

  @Test
  void rotatedCertificate_isServedToNewConnections_withoutARestart_andTheNodeKeepsItsId() throws Exception {
    NodeProcess member = start("node-0", ca, caFile, List.of());
    String peer = member.peerAddress();
    TestPki.Issued probe = ca.node("kadmesh://probe");
    long pid = member.pid();

    TestPki.Issued renewed = ca.node("kadmesh://node-0");
    renewed.write(dir.resolve("pki"), "node-0", caFile);

    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
        TestPki.servedCertificate(peer, ca.certificate(), probe).getSerialNumber().equals(renewed.serial()));
    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
        TestPki.servedCertificate(member.apiAddress(), ca.certificate(), probe).getSerialNumber()
            .equals(renewed.serial()));
    assertThat(member.pid()).isEqualTo(pid);
    assertThat(member.isAlive()).isTrue();
    assertThat(clientOf(member).info().nodeIdHex()).isEqualTo(NodeId.ofKey("kadmesh://node-0").toHex());
  }

  @Test
  void rotatedCaFile_letsAClientOfTheNextCaCall_withoutARestart() throws Exception {
    NodeProcess member = start("node-0", ca, caFile, List.of());
    TestPki nextCa = TestPki.authority("next CA");
    TlsFiles nextClient = nextCa.issue("app2", "URI:kadmesh://app2").write(dir.resolve("pki"), "app2", caFile);
    try (KadmeshClient rejected = KadmeshClient.connect(member.apiAddress(), nextClient)) {
      assertThat(catchThrowable(rejected.withTimeout(Duration.ofSeconds(5))::info)).isNotNull();
    }

    TestPki.writeBundle(caFile, ca, nextCa);

    await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
      try (KadmeshClient next = KadmeshClient.connect(member.apiAddress(), nextClient)) {
        return next.withTimeout(Duration.ofSeconds(5)).info().nodeIdHex() != null;
      }
    });
  }
}
