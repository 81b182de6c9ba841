package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.proto.v1.GetContentRequest;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.GetSignedRequest;
import io.kadmesh.proto.v1.PutContentRequest;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.PutSignedRequest;
import io.kadmesh.proto.v1.ResolveRequest;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.proto.v1.WatchRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The key a slow call's log line names: the same DHT key the node uses, for each kind of request. */
class RequestKeysTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();

  @Test
  void eachRequestKind_isNamedByItsDhtKeysHashPrefix() {
    KademliaNode node = nodes.start(NodeConfig.defaults()).node();
    byte[] publicKey = new byte[32];
    Arrays.fill(publicKey, (byte) 7);
    byte[] value = "release notes".getBytes(StandardCharsets.UTF_8);
    String plain = node.keyOf("greeting").shortHex();
    String signed = node.signedKeyOf(publicKey, "profile").shortHex();

    assertThat(RequestKeys.hashPrefix(node, PutRequest.newBuilder().setKey("greeting").build())).hasValue(plain);
    assertThat(RequestKeys.hashPrefix(node, GetRequest.newBuilder().setKey("greeting").build())).hasValue(plain);
    assertThat(RequestKeys.hashPrefix(node, WatchRequest.newBuilder().setKey("greeting").build())).hasValue(plain);
    assertThat(RequestKeys.hashPrefix(node, ResolveRequest.newBuilder().setService("orders").build()))
        .hasValue(node.serviceKeyOf("orders").shortHex());
    assertThat(RequestKeys.hashPrefix(node, GetSignedRequest.newBuilder()
        .setPublicKey(ByteString.copyFrom(publicKey)).setName("profile").build())).hasValue(signed);
    assertThat(RequestKeys.hashPrefix(node, PutSignedRequest.newBuilder().setRecord(SignedRecord.newBuilder()
        .setPublicKey(ByteString.copyFrom(publicKey)).setName("profile")).build())).hasValue(signed);
    assertThat(RequestKeys.hashPrefix(node, PutContentRequest.newBuilder().setValue(ByteString.copyFrom(value)).build()))
        .hasValue(node.contentKeyOf(value).shortHex());
    assertThat(RequestKeys.hashPrefix(node, GetContentRequest.newBuilder()
        .setKey(ByteString.copyFrom(node.contentKeyOf(value).toBytes())).build()))
        .hasValue(node.contentKeyOf(value).shortHex());
  }

  @Test
  void requestsWithoutAUsableKey_nameNone() {
    KademliaNode node = nodes.start(NodeConfig.defaults()).node();

    assertThat(RequestKeys.hashPrefix(node, GetNodeInfoRequest.getDefaultInstance())).isEmpty();
    assertThat(RequestKeys.hashPrefix(node, GetRequest.newBuilder().setKey("").build())).isEmpty();
    assertThat(RequestKeys.hashPrefix(node, GetRequest.newBuilder().setKey("x".repeat(5000)).build())).isEmpty();
    assertThat(RequestKeys.hashPrefix(node, GetContentRequest.newBuilder()
        .setKey(ByteString.copyFrom(new byte[3])).build())).isEmpty();
    assertThat(RequestKeys.hashPrefix(null, GetRequest.newBuilder().setKey("a").build())).isEmpty();
  }
}
