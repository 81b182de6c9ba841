package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

  private static final ValueVersion VERSION = new ValueVersion(42, "ab".repeat(32));

  @Test
  void entry_withEqualBytes_isEqualAndHashesAlike() {
    Entry one = new Entry(new byte[] {1, 2}, VERSION, Instant.EPOCH);
    Entry two = new Entry(new byte[] {1, 2}, VERSION, Instant.EPOCH);

    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
  }

  @Test
  void entry_whenTheCallerChangesItsArrays_staysTheSame() {
    byte[] bytes = {1, 2};
    Entry entry = new Entry(bytes, VERSION, null);

    bytes[0] = 9;
    entry.value()[1] = 9;

    assertThat(entry.value()).containsExactly(1, 2);
  }

  @Test
  void entry_valueAsString_decodesUtf8() {
    assertThat(new Entry("ünïcode".getBytes(java.nio.charset.StandardCharsets.UTF_8), VERSION, null)
            .valueAsString())
        .isEqualTo("ünïcode");
  }

  @Test
  void valueVersion_shortWriter_isTheFirstEightHexDigits() {
    assertThat(VERSION.shortWriter()).isEqualTo("abababab");
  }

  @Test
  void duration_negativeWithFraction_becomesSecondsAndNanosOfTheSameSign() {
    com.google.protobuf.Duration wire = ProtoConversions.duration(Duration.ofMillis(-1500));

    assertThat(wire.getSeconds()).isEqualTo(-1);
    assertThat(wire.getNanos()).isEqualTo(-500_000_000);
  }

  @Test
  void duration_positive_keepsSecondsAndNanos() {
    com.google.protobuf.Duration wire = ProtoConversions.duration(Duration.ofMillis(1500));

    assertThat(wire.getSeconds()).isEqualTo(1);
    assertThat(wire.getNanos()).isEqualTo(500_000_000);
  }
}
