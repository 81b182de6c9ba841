package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.kadmesh.client.testing.ClosedPort;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.proto.v1.GetNodeInfoResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class KadmeshClientTest extends FakeNodeFixture {

  private static final String WRITER_HEX = HexFormat.of().formatHex(FakeDht.WRITER.toByteArray());


  @Test
  void put_thenGet_returnsTheValueWithItsVersionAndExpiry() {
    PutResult put = client.put("colour", new byte[] {1, 2, 3});
    Optional<Entry> entry = client.get("colour");

    assertThat(put.replicas()).isEqualTo(3);
    assertThat(put.version().writerHex()).isEqualTo(WRITER_HEX);
    assertThat(put.expiresAt()).isEqualTo(FakeDht.NOW.plus(FakeDht.DEFAULT_TTL));
    assertThat(entry).isPresent();
    assertThat(entry.get().value()).containsExactly(1, 2, 3);
    assertThat(entry.get().version()).isEqualTo(put.version());
    assertThat(entry.get().expiresAt()).isEqualTo(put.expiresAt());
  }

  @Test
  void put_withTtl_sendsTheTtlToTheNode() {
    PutResult put = client.put("k", new byte[] {7}, Duration.ofMinutes(5));

    assertThat(dht.lastPut().getTtl().getSeconds()).isEqualTo(300);
    assertThat(put.expiresAt()).isEqualTo(FakeDht.NOW.plus(Duration.ofMinutes(5)));
  }

  @Test
  void put_withoutTtl_leavesTtlUnsetSoTheNodeDefaultApplies() {
    client.put("k", new byte[] {7});

    assertThat(dht.lastPut().hasTtl()).isFalse();
  }

  @Test
  void put_ofString_sendsItsUtf8Bytes() {
    client.put("greeting", "héllo");

    assertThat(dht.lastPut().getValue()).isEqualTo(ByteString.copyFromUtf8("héllo"));
    assertThat(client.get("greeting").orElseThrow().valueAsString()).isEqualTo("héllo");
  }

  @Test
  void get_ofUnknownKey_isEmpty() {
    assertThat(client.get("nobody")).isEmpty();
  }

  @Test
  void get_withQuorum_sendsIt_andWithoutSends0ForTheNodesOwn() throws Exception {
    client.put("colour", new byte[] {1});

    assertThat(client.get("colour", 1)).isPresent();
    assertThat(dht.lastGet().getQuorum()).isEqualTo(1);
    assertThat(client.getAsync("colour", 5).get()).isPresent();
    assertThat(dht.lastGet().getQuorum()).isEqualTo(5);
    client.get("colour");
    assertThat(dht.lastGet().getQuorum()).isZero();
  }

  @Test
  void get_withANegativeQuorum_isRefusedBeforeAnyCall() {
    assertThatThrownBy(() -> client.get("colour", -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quorum");
    assertThat(dht.lastGet()).isNull();
  }

  @Test
  void delete_ofStoredKey_reportsReplicasAndTheKeyReadsAsNotFound() {
    PutResult put = client.put("k", "v");

    DeleteResult deleted = client.delete("k");

    assertThat(deleted.replicas()).isEqualTo(3);
    assertThat(Long.compareUnsigned(deleted.version().sequence(), put.version().sequence()))
        .isPositive();
    assertThat(client.get("k")).isEmpty();
  }

  @Test
  void info_returnsTheNodesDescriptionAsClientTypes() {
    dht.nodeInfo(FakeDht.NODE_INFO);

    assertThat(client.info())
        .isEqualTo(
            new NodeInfo(
                "0f".repeat(32),
                "kadmesh",
                "0.0.0.0:7701",
                "127.0.0.1:7700",
                "10.0.0.5:7701",
                20,
                3,
                5,
                List.of(new BucketSummary(254, 3, 0), new BucketSummary(255, 2, 1)),
                new StorageSummary(42, 1234, 1_000_000, 1L << 30, "rocksdb", "/var/lib/kadmesh"),
                FakeDht.NOW.minusSeconds(3723),
                4,
                false,
                2));
  }

  @Test
  void info_ofANodeThatSaysLittle_hasNoStartTimeNoLimitsAndEmptyStrings() {
    dht.nodeInfo(GetNodeInfoResponse.newBuilder().setNetwork("kadmesh").build());

    NodeInfo info = client.info();

    assertThat(info.startedAt()).isNull();
    assertThat(info.buckets()).isEmpty();
    assertThat(info.storage().hasLimits()).isFalse();
    assertThat(info.storage().engine()).isEmpty();
    assertThat(info.nodeIdHex()).isEmpty();
  }

  @Test
  void get_whenTheNodeNeverAnswers_failsWithDeadlineExceededAfterTheTimeout() {
    dht.goSilent();
    KadmeshClient impatient = client.withTimeout(Duration.ofMillis(100));

    assertThatThrownBy(() -> impatient.get("k"))
        .isInstanceOfSatisfying(
            KadmeshException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  @Test
  void put_whenTheNodeRejectsTheKey_throwsKadmeshExceptionWithTheCodeAndTheNodesMessage() {
    dht.failWith(Status.INVALID_ARGUMENT.withDescription("key is 1500 bytes, the limit is 1024"));

    assertThatThrownBy(() -> client.put("k", "v"))
        .isInstanceOfSatisfying(
            KadmeshException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(e.description()).isEqualTo("key is 1500 bytes, the limit is 1024");
              assertThat(e.getMessage())
                  .isEqualTo("INVALID_ARGUMENT: key is 1500 bytes, the limit is 1024");
              assertThat(e.isTransportFailure()).isFalse();
            });
  }

  @Test
  void delete_whenNoNodeCouldStore_throwsUnavailableFromTheNode() {
    dht.failWith(Status.UNAVAILABLE.withDescription("no live node could store the record"));

    assertThatThrownBy(() -> client.delete("k"))
        .isInstanceOfSatisfying(
            KadmeshException.class,
            e -> {
              assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.isTransportFailure()).isFalse();
            });
  }

  @Test
  void putAsync_completesWithTheResult() {
    PutResult put = client.putAsync("k", new byte[] {1}, Duration.ofSeconds(30)).join();

    assertThat(put.replicas()).isEqualTo(3);
    assertThat(dht.lastPut().getTtl().getSeconds()).isEqualTo(30);
  }

  @Test
  void getAsync_ofStoredKey_completesWithTheEntry() {
    client.putAsync("k", "v".getBytes(StandardCharsets.UTF_8)).join();

    assertThat(client.getAsync("k").join()).map(Entry::valueAsString).contains("v");
  }

  @Test
  void getAsync_whenTheNodeFails_completesExceptionallyWithKadmeshException() {
    dht.failWith(Status.RESOURCE_EXHAUSTED.withDescription("rate limit hit"));

    assertThatThrownBy(() -> client.getAsync("k").join())
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(
            KadmeshException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void put_withNullKey_throwsNullPointerExceptionWithoutCalling() {
    assertThatThrownBy(() -> client.put(null, new byte[0])).isInstanceOf(NullPointerException.class);
    assertThat(dht.lastPut()).isNull();
  }

  @Test
  void withTimeout_ofZero_throwsIllegalArgumentException() {
    assertThatThrownBy(() -> client.withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void withTimeout_returnsAClientWithThatTimeoutAndLeavesTheOriginalAlone() {
    KadmeshClient quick = client.withTimeout(Duration.ofSeconds(2));

    assertThat(quick.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(client.timeout()).isEqualTo(KadmeshClient.DEFAULT_TIMEOUT);
  }

  @Test
  void close_ofClientOverACallersChannel_leavesTheChannelOpen() {
    client.close();

    assertThat(channel.isShutdown()).isFalse();
  }

  @Test
  void connect_toAnAddressWhereNothingListens_failsAsATransportFailure() {
    try (KadmeshClient unreachable =
        KadmeshClient.connect(ClosedPort.address(), Duration.ofSeconds(5))) {
      assertThatThrownBy(() -> unreachable.get("k"))
          .isInstanceOfSatisfying(
              KadmeshException.class,
              e -> {
                assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(e.isTransportFailure()).isTrue();
              });
    }
  }

  @Test
  void close_ofConnectedClient_shutsDownItsChannel() {
    KadmeshClient connected = KadmeshClient.connect(ClosedPort.address());
    connected.close();

    // A shut-down channel refuses new calls at once instead of dialling.
    assertThatThrownBy(() -> connected.get("k"))
        .isInstanceOfSatisfying(
            KadmeshException.class, e -> assertThat(e.code()).isEqualTo(Status.Code.UNAVAILABLE));
  }
}
