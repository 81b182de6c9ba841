package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.PeerMessages.contact;
import static io.kadmesh.server.grpc.PeerMessages.header;
import static io.kadmesh.server.grpc.PeerMessages.ping;
import static io.kadmesh.server.grpc.PeerMessages.toolHeader;
import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.server.HostPort;
import io.kadmesh.tls.TlsCredentials;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import io.kadmesh.tls.TlsFiles;
import io.kadmesh.tls.testing.TestPki;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Mutual TLS on the peer port, over real Netty on 127.0.0.1: who may join, call and answer. */
class MutualTlsTest {
  private static final HostPort ANY_LOOPBACK_PORT = HostPort.parse("127.0.0.1:0");
  private static final NodeConfig CONFIG = NodeConfig.builder().writeQuorum(1).build();

  @RegisterExtension final TestNodes nodes = new TestNodes();
  @TempDir Path dir;
  private final TestPki ca = TestPki.authority("mesh CA");
  private Path caFile;

  private Path caFile() {
    if (caFile == null) caFile = ca.writeCertificate(dir.resolve("ca.crt"));
    return caFile;
  }

  private KadmeshServer start(TlsFiles files, List<String> bootstrap) {
    NodeTls tls = nodes.register(NodeTls.load(new NodeTls.Config(files, null, Duration.ofMillis(100))));
    tls.startReloading();
    return nodes.start(CONFIG, b -> b
        .nodeId(tls.nodeId().orElseThrow())
        .peerServer(NettyEndpoints.server(ANY_LOOPBACK_PORT, true, tls.peerServer()), ANY_LOOPBACK_PORT.toString())
        .apiServer(NettyEndpoints.server(ANY_LOOPBACK_PORT, true), ANY_LOOPBACK_PORT.toString())
        .channelFactory(NettyEndpoints.peerChannels(true, CONFIG, tls.peerChannels()))
        .bootstrap(bootstrap));
  }

  private KadmeshServer startNode(String name, List<String> bootstrap) {
    return start(ca.node("kadmesh://" + name).write(dir, name, caFile()), bootstrap);
  }

  private ManagedChannel channel(String address, ChannelCredentials credentials) {
    return nodes.register(Grpc.newChannelBuilder(address, credentials).build());
  }

  /** Credentials of a client holding a certificate named {@code uri} from {@code issuer}. */
  private ChannelCredentials client(TestPki issuer, String uri, String fileName) {
    TlsFiles files = issuer.node(uri).write(dir, fileName, caFile());
    return TlsCredentials.load(new TlsFiles(files.certificate(), files.privateKey(), caFile()), HostCheck.CHAIN_ONLY)
        .channelCredentials();
  }

  private static KademliaGrpc.KademliaBlockingStub kademlia(ManagedChannel channel) {
    return KademliaGrpc.newBlockingStub(channel).withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void threeNodes_withCertificatesOfOneCa_joinAndServePutAndGet_underTheIdsTheirCertificatesName() {
    KadmeshServer first = startNode("node-0", List.of());
    KadmeshServer second = startNode("node-1", List.of(first.addresses().advertised()));
    KadmeshServer third = startNode("node-2", List.of(first.addresses().advertised()));

    await().atMost(Duration.ofSeconds(20)).until(() ->
        List.of(first, second, third).stream().allMatch(n -> n.node().contacts().size() == 2));
    assertThat(second.node().self().id()).isEqualTo(NodeId.ofKey("kadmesh://node-1"));
    ManagedChannel api = channel(second.addresses().api(), InsecureChannelCredentials.create());
    DhtGrpc.newBlockingStub(api).withDeadlineAfter(5, TimeUnit.SECONDS)
        .put(PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("over mTLS")).build());
    ManagedChannel otherApi = channel(third.addresses().api(), InsecureChannelCredentials.create());

    assertThat(DhtGrpc.newBlockingStub(otherApi).withDeadlineAfter(5, TimeUnit.SECONDS)
        .get(GetRequest.newBuilder().setKey("k").build()).getValue().toStringUtf8()).isEqualTo("over mTLS");
  }

  @Test
  void node_withACertificateOfAnotherCa_cannotJoin_andIsNeverListed() {
    KadmeshServer member = startNode("node-0", List.of());
    TestPki otherCa = TestPki.authority("stranger CA");
    Path strangerCa = otherCa.writeCertificate(dir.resolve("stranger-ca.crt"));
    KadmeshServer stranger = start(otherCa.node("kadmesh://stranger").write(dir, "stranger", strangerCa),
        List.of(member.addresses().advertised()));

    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() ->
        member.node().contacts().isEmpty() && stranger.node().contacts().isEmpty());
    assertThat(stranger.node().isServing()).isFalse();
  }

  @Test
  void callers_withoutACertificate_withOneOfAnotherCa_orInPlaintext_cannotCallThePeerPort() {
    KadmeshServer member = startNode("node-0", List.of());
    String peer = member.addresses().peer();
    TestPki otherCa = TestPki.authority("stranger CA");

    ChannelCredentials noCertificate = TlsCredentials.load(TlsFiles.trusting(caFile()), HostCheck.CHAIN_ONLY)
        .channelCredentials();
    assertFails(() -> kademlia(channel(peer, noCertificate)).ping(ping(toolHeader())), Status.Code.UNAVAILABLE);
    assertFails(() -> kademlia(channel(peer, client(otherCa, "kadmesh://stranger", "stranger")))
        .ping(ping(toolHeader())), Status.Code.UNAVAILABLE);
    assertFails(() -> kademlia(channel(peer, InsecureChannelCredentials.create())).ping(ping(toolHeader())),
        Status.Code.UNAVAILABLE);
  }

  @Test
  void request_whoseSenderIsNotTheNodeItsCertificateNames_isRefusedPermissionDenied() {
    KadmeshServer member = startNode("node-0", List.of());
    ManagedChannel channel = channel(member.addresses().peer(), client(ca, "kadmesh://tool", "tool"));
    NodeId certified = NodeId.ofKey("kadmesh://tool");
    NodeId victim = NodeId.ofKey("kadmesh://victim");

    assertFails(() -> kademlia(channel).ping(ping(header(contact(victim, "127.0.0.1:1")))),
        Status.Code.PERMISSION_DENIED,
        "the certificate names node " + certified.toHex() + ", the request claims " + victim.toHex());
    // A tool's request (no sender) and a sender that is the certified node pass.
    assertThat(kademlia(channel).ping(ping(toolHeader())).getHeader().getResponder().getNodeId())
        .isEqualTo(ByteString.copyFrom(member.node().self().id().toBytes()));
    kademlia(channel).ping(ping(header(contact(certified, "127.0.0.1:1"))));
  }

  @Test
  void peer_answeringUnderAnotherIdThanItsCertificateNames_failsTheCall() throws Exception {
    TlsFiles liarFiles = ca.node("kadmesh://liar").write(dir, "liar", caFile());
    NodeTls liarTls = nodes.register(NodeTls.load(new NodeTls.Config(liarFiles, null, Duration.ofMinutes(1))));
    NodeId claimed = NodeId.ofKey("kadmesh://someone-else");
    Server liar = NettyEndpoints.server(ANY_LOOPBACK_PORT, true, liarTls.peerServer())
        .addService(new PeerMessages.AnsweringPeer(contact(claimed, "127.0.0.1:1"), List.of()))
        .build().start();
    nodes.register((AutoCloseable) () -> liar.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    NodeTls callerTls = nodes.register(NodeTls.load(new NodeTls.Config(
        ca.node("kadmesh://caller").write(dir, "caller", caFile()), null, Duration.ofMinutes(1))));
    GrpcPeerTransport transport = nodes.register(new GrpcPeerTransport(
        new Contact(callerTls.nodeId().orElseThrow(), "127.0.0.1:1"), NodeConfig.DEFAULT_NETWORK,
        Duration.ofSeconds(5), NettyEndpoints.peerChannels(true, CONFIG, callerTls.peerChannels())));

    assertThatThrownBy(() -> transport.ping("127.0.0.1:" + liar.getPort()).get(5, TimeUnit.SECONDS))
        .hasMessageContaining("the peer's certificate names node " + NodeId.ofKey("kadmesh://liar").shortHex()
            + " but it answered as " + claimed.shortHex());
  }

  @Test
  void rotatedCertificate_withTheSameName_isServedToNewConnections_andOneNamingAnotherNodeIsRefused()
      throws Exception {
    TlsFiles files = ca.node("kadmesh://node-0").write(dir, "node-0", caFile());
    KadmeshServer member = start(files, List.of());
    String peer = member.addresses().peer();
    TestPki.Issued probe = ca.node("kadmesh://probe");

    TestPki.Issued renewed = ca.node("kadmesh://node-0");
    renewed.write(dir, "node-0", caFile());
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestPki.servedCertificate(peer, ca.certificate(), probe).getSerialNumber().equals(renewed.serial()));

    ca.node("kadmesh://impostor").write(dir, "node-0", caFile());
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() ->
        TestPki.servedCertificate(peer, ca.certificate(), probe).getSerialNumber().equals(renewed.serial()));
    assertThat(member.node().self().id()).isEqualTo(NodeId.ofKey("kadmesh://node-0"));
  }

  @Test
  void rotatedCaFile_isTrustedByNewConnections() {
    KadmeshServer member = startNode("node-0", List.of());
    String peer = member.addresses().peer();
    TestPki nextCa = TestPki.authority("next CA");
    ChannelCredentials ofNextCa = client(nextCa, "kadmesh://tool", "tool");
    assertFails(() -> kademlia(channel(peer, ofNextCa)).ping(ping(toolHeader())), Status.Code.UNAVAILABLE);

    // Both CAs in one file, as during a CA rollover.
    TestPki.writeBundle(caFile(), ca, nextCa);

    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        kademlia(channel(peer, ofNextCa)).ping(ping(toolHeader())));
  }
}
