package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.client.testing.InProcessNode;
import io.kadmesh.proto.v1.GetContentResponse;
import io.kadmesh.records.RecordKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ContentRecordsTest {

  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

  private final FakeDht dht = new FakeDht();
  private InProcessNode node;
  private KadmeshClient client;

  @BeforeEach
  void serveFakeNode() {
    node = InProcessNode.serve(dht);
    client = KadmeshClient.over(node.newChannel());
  }

  @AfterEach
  void stop() {
    client.close();
    node.close();
  }

  @Test
  void putContent_returnsTheSha256KeyReplicasAndExpiry() {
    ContentPutResult put = client.putContent(HELLO);

    assertThat(put.keyHex())
        .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(put.key()).isEqualTo(RecordKeys.contentKey(HELLO));
    assertThat(put.replicas()).isEqualTo(3);
    assertThat(put.expiresAt()).isEqualTo(FakeDht.NOW.plus(FakeDht.DEFAULT_TTL));
    assertThat(dht.lastPutContent().hasTtl()).isFalse();
  }

  @Test
  void putContent_withTtl_sendsIt() {
    client.putContent(HELLO, Duration.ofHours(1));

    assertThat(dht.lastPutContent().getTtl().getSeconds()).isEqualTo(3600);
  }

  @Test
  void getContent_ofAStoredValue_returnsItsBytesAndExpiry() {
    ContentPutResult put = client.putContent(HELLO);

    ContentEntry entry = client.getContent(put.key()).orElseThrow();

    assertThat(entry.value()).isEqualTo(HELLO);
    assertThat(entry.keyHex()).isEqualTo(put.keyHex());
    assertThat(entry.expiresAt()).isEqualTo(put.expiresAt());
  }

  @Test
  void getContent_ofAnUnknownKey_isEmpty() {
    assertThat(client.getContent(new byte[32])).isEmpty();
  }

  @Test
  void getContent_answeredWithAValueThatDoesNotHashToTheKey_throwsRatherThanReturnIt() {
    byte[] key = client.putContent(HELLO).key();
    dht.answerGetContent(GetContentResponse.newBuilder()
        .setFound(true).setValue(ByteString.copyFromUtf8("hellO")).build());

    assertThatThrownBy(() -> client.getContent(key))
        .isInstanceOfSatisfying(KadmeshException.class, e -> {
          assertThat(e.isUnverifiedAnswer()).isTrue();
          assertThat(e.getMessage()).contains("SHA-256", "2cf24dba5fb0a30e");
        });
  }
}
