package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.kadmesh.proto.v1.Endpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** KadmeshClient.resolve: the node's endpoints as ServiceEndpoint values. */
class ResolveTest extends FakeNodeFixture {

  @Test
  void resolve_returnsEachEndpoint_withMetadataAnnouncerHexAndExpiry_inTheNodesOrder() {
    byte[] id = new byte[32];
    id[0] = 0x0a;
    byte[] key = new byte[32];
    key[31] = (byte) 0xff;
    dht.holdEndpoints("web", List.of(
        Endpoint.newBuilder().setAddress("b:1").putMetadata("zone", "eu")
            .setAnnouncer(ByteString.copyFrom(id)).setAnnouncerKey(ByteString.copyFrom(key))
            .setExpiresAt(Timestamp.newBuilder().setSeconds(100)).build(),
        Endpoint.newBuilder().setAddress("a:1")
            .setAnnouncer(ByteString.copyFrom(id)).setAnnouncerKey(ByteString.copyFrom(key))
            .setExpiresAt(Timestamp.newBuilder().setSeconds(200)).build()));

    List<ServiceEndpoint> endpoints = client.resolve("web");

    assertThat(endpoints).containsExactly(
        ServiceEndpoint.of("b:1", Map.of("zone", "eu"), "0a" + "00".repeat(31),
            "00".repeat(31) + "ff", Instant.ofEpochSecond(100)),
        ServiceEndpoint.of("a:1", Map.of(), "0a" + "00".repeat(31), "00".repeat(31) + "ff",
            Instant.ofEpochSecond(200)));
    assertThat(client.resolve("none")).isEmpty();
  }

  @Test
  void resolve_refused_throwsKadmeshExceptionWithTheStatus() {
    dht.failWith(Status.INVALID_ARGUMENT.withDescription("service must be 1 to 256 bytes"));

    assertThatThrownBy(() -> client.resolve(""))
        .isInstanceOf(KadmeshException.class)
        .hasMessageContaining("service must be 1 to 256 bytes");
  }
}
