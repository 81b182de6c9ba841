package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.proto.v1.AnnounceRequest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnounceTest extends FakeNodeFixture {

  @Test
  void announce_withDefaults_sendsNoTtlNorHealthCheck_andAnswersReplicasAndExpiry() {
    AnnounceResult result = client.announce("orders", "10.0.0.1:8080");

    AnnounceRequest sent = dht.lastAnnounce();
    assertThat(sent.getService()).isEqualTo("orders");
    assertThat(sent.getEndpoint()).isEqualTo("10.0.0.1:8080");
    assertThat(sent.hasTtl()).isFalse();
    assertThat(sent.hasHealthCheck()).isFalse();
    assertThat(result.replicas()).isEqualTo(3);
    assertThat(result.expiresAt()).isEqualTo(FakeDht.NOW.plusSeconds(30));
    assertThat(result.published()).isTrue();
  }

  @Test
  void announce_withOptions_sendsMetadataTtlAndHealthCheck() {
    client.announce("orders", "[::1]:9090", AnnounceOptions.DEFAULTS
        .withMetadata(Map.of("zone", "eu-1", "weight", "2"))
        .withTtl(Duration.ofSeconds(12))
        .withHealthCheck("orders.v1.Orders", Duration.ofSeconds(2)));

    AnnounceRequest sent = dht.lastAnnounce();
    assertThat(sent.getMetadataMap()).containsOnly(Map.entry("zone", "eu-1"), Map.entry("weight", "2"));
    assertThat(sent.getTtl().getSeconds()).isEqualTo(12);
    assertThat(sent.getHealthCheck().getService()).isEqualTo("orders.v1.Orders");
    assertThat(sent.getHealthCheck().getInterval().getSeconds()).isEqualTo(2);
  }

  @Test
  void announce_healthCheckedWithoutInterval_leavesTheIntervalToTheNode_andMayAnswerNotPublished() {
    AnnounceResult result = client.announce("orders", "10.0.0.1:8080",
        AnnounceOptions.DEFAULTS.withHealthCheck(""));

    assertThat(dht.lastAnnounce().getHealthCheck().hasInterval()).isFalse();
    assertThat(result.replicas()).isZero();
    assertThat(result.expiresAt()).isNull();
    assertThat(result.published()).isFalse();
  }

  @Test
  void withdraw_ofAnAnnouncedEndpoint_answersReplicas_andOfAnUnknownOneFailsNotFound() {
    client.announce("orders", "10.0.0.1:8080");

    assertThat(client.withdraw("orders", "10.0.0.1:8080")).isEqualTo(3);
    assertThatThrownBy(() -> client.withdraw("orders", "10.0.0.1:8080"))
        .isInstanceOfSatisfying(KadmeshException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.NOT_FOUND))
        .hasMessageContaining("10.0.0.1:8080");
  }

  @Test
  void announce_refusedByTheNode_failsWithItsStatusAndMessage() {
    dht.failWith(Status.RESOURCE_EXHAUSTED.withDescription("this node already keeps 256 announcements"));

    assertThatThrownBy(() -> client.announce("orders", "10.0.0.1:8080"))
        .isInstanceOfSatisfying(KadmeshException.class,
            e -> assertThat(e.code()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED))
        .hasMessageContaining("256 announcements");
  }

  @Test
  void options_intervalWithoutHealthCheck_isRefused() {
    assertThatThrownBy(() -> new AnnounceOptions(Map.of(), null, null, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
