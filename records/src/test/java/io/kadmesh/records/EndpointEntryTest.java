package io.kadmesh.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointEntryTest {
  private static final byte[] ANNOUNCER = new byte[32];

  @Test
  void encodeThenDecode_givesTheSameEntry() {
    EndpointEntry entry = EndpointEntry.of("orders", "127.0.0.1:9000",
        Map.of("zone", "eu-1", "weight", "3"), ANNOUNCER);

    assertThat(EndpointEntry.decode(entry.encode())).isEqualTo(entry);
  }

  @Test
  void encode_isTheSameWhateverOrderTheMetadataCameIn() {
    java.util.LinkedHashMap<String, String> one = new java.util.LinkedHashMap<>();
    one.put("b", "2");
    one.put("a", "1");
    java.util.LinkedHashMap<String, String> other = new java.util.LinkedHashMap<>();
    other.put("a", "1");
    other.put("b", "2");

    assertThat(EndpointEntry.of("s", "h:1", one, ANNOUNCER).encode())
        .isEqualTo(EndpointEntry.of("s", "h:1", other, ANNOUNCER).encode());
  }

  @Test
  void decode_refusesTrailingBytesTruncationAndHugeLengths() {
    byte[] good = EndpointEntry.of("orders", "h:1", Map.of(), ANNOUNCER).encode();
    byte[] longer = Arrays.copyOf(good, good.length + 1);
    byte[] shorter = Arrays.copyOf(good, good.length - 1);
    byte[] huge = ByteBuffer.allocate(8).putInt(Integer.MAX_VALUE).array();

    assertThatThrownBy(() -> EndpointEntry.decode(longer)).hasMessageContaining("after its end");
    assertThatThrownBy(() -> EndpointEntry.decode(shorter)).hasMessageContaining("ends early");
    assertThatThrownBy(() -> EndpointEntry.decode(huge)).hasMessageContaining("limit is 256");
  }

  @Test
  void constructor_namesTheLimitExceeded() {
    assertThatThrownBy(() -> EndpointEntry.of("", "h:1", Map.of(), ANNOUNCER))
        .hasMessageContaining("service must be 1 to 256");
    assertThatThrownBy(() -> EndpointEntry.of("s", "h:1", Map.of("k", "x".repeat(3000)), ANNOUNCER))
        .hasMessageContaining("limit is 2048");
  }

  @Test
  void endpointSignature_doesNotVerifyAsASignedRecord() {
    KeyPair keys = Ed25519Keys.generate();
    byte[] raw = Ed25519Keys.raw(keys.getPublic());
    byte[] value = EndpointEntry.of("s", "h:1", Map.of(), ANNOUNCER).encode();
    SignedPayload endpoint = new SignedPayload(SignedPayload.Domain.ENDPOINT, "h:1", 5, value, 100, false);
    SignedPayload record = new SignedPayload("h:1", 5, value, 100, false);

    byte[] signature = endpoint.sign(keys.getPrivate());

    assertThat(endpoint.verify(raw, signature)).isTrue();
    assertThat(record.verify(raw, signature)).isFalse();
  }

  @Test
  void serviceKey_differsFromThePlainKeyOfTheSameName() throws Exception {
    byte[] plain = java.security.MessageDigest.getInstance("SHA-256")
        .digest("orders".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(RecordKeys.serviceKey("orders")).hasSize(32).isNotEqualTo(plain);
  }
}
