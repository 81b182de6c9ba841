package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
  private final Random random = new Random(11);
  private final NodeId key = NodeId.random(random);
  private final NodeId writer = NodeId.random(random);

  @Test
  void value_roundTrips_withItsVersionExpiryToTheNanosecondAndBytes() {
    byte[] bytes = new byte[1000];
    random.nextBytes(bytes);
    ValueRecord r = ValueRecord.value(key, bytes, new Version(Long.MAX_VALUE, writer),
        Instant.parse("2031-05-06T07:08:09.123456789Z"));

    byte[] encoded = RecordCodec.encode(r);

    assertThat(encoded[0]).isEqualTo(RecordCodec.FORMAT_2);
    assertThat(RecordCodec.decode(key, encoded)).isEqualTo(r);
    assertThat(RecordCodec.storedBytes(encoded)).isEqualTo(r.storedBytes());
    assertThat(RecordCodec.placerOf(key, encoded)).isNull();
  }

  @Test
  void placer_roundTrips_andLeavesTheRecordAsItWas() {
    NodeId placer = NodeId.random(random);
    ValueRecord r = ValueRecord.value(key, new byte[] {4, 5}, new Version(9, writer),
        Instant.parse("2031-01-01T00:00:00Z"));
    byte[] encoded = RecordCodec.encode(r, placer);

    assertThat(RecordCodec.placerOf(key, encoded)).isEqualTo(placer);
    assertThat(RecordCodec.decode(key, encoded)).isEqualTo(r);
    assertThat(RecordCodec.storedBytes(encoded)).isEqualTo(r.storedBytes());
  }

  @Test
  void format1_writtenByTheFormerBuild_stillDecodes_asThisNodesOwn() {
    ValueRecord r = ValueRecord.value(key, new byte[] {7, 8, 9}, new Version(12, writer),
        Instant.parse("2031-05-06T07:08:09.5Z"));
    byte[] format1 = format1(r);

    assertThat(RecordCodec.decode(key, format1)).isEqualTo(r);
    assertThat(RecordCodec.storedBytes(format1)).isEqualTo(r.storedBytes());
    assertThat(RecordCodec.placerOf(key, format1)).isNull();
  }

  /** Format 1 byte for byte, as the build before placers wrote it. */
  static byte[] format1(ValueRecord r) {
    byte[] value = r.valueUnsafe();
    return java.nio.ByteBuffer.allocate(RecordCodec.HEADER_BYTES + value.length)
        .put(RecordCodec.FORMAT_1)
        .put((byte) (r.isTombstone() ? 1 : 0))
        .putLong(r.version().sequence())
        .put(r.version().writer().toBytes())
        .putLong(r.expiresAt().getEpochSecond())
        .putInt(r.expiresAt().getNano())
        .put(value)
        .array();
  }

  @Test
  void tombstoneAndEmptyValue_roundTrip_andStayDistinct() {
    Instant exp = Instant.parse("2030-01-01T00:00:00Z");
    ValueRecord tomb = ValueRecord.tombstone(key, new Version(3, writer), exp);
    ValueRecord empty = ValueRecord.value(key, new byte[0], new Version(3, writer), exp);

    assertThat(RecordCodec.decode(key, RecordCodec.encode(tomb))).isEqualTo(tomb);
    assertThat(RecordCodec.decode(key, RecordCodec.encode(empty))).isEqualTo(empty);
    assertThat(RecordCodec.decode(key, RecordCodec.encode(tomb)).isTombstone()).isTrue();
    assertThat(RecordCodec.decode(key, RecordCodec.encode(empty)).isTombstone()).isFalse();
  }

  @Test
  void decode_ofAnotherFormatOrTruncatedBytes_fails() {
    byte[] encoded = RecordCodec.encode(ValueRecord.value(key, new byte[] {1}, new Version(1, writer),
        Instant.EPOCH));
    byte[] future = encoded.clone();
    future[0] = 3;
    assertThatThrownBy(() -> RecordCodec.decode(key, future)).hasMessageContaining("format 3");
    assertThatThrownBy(() -> RecordCodec.decode(key, Arrays.copyOf(encoded, 10)))
        .hasMessageContaining("shorter");
  }

  @Test
  void expiryKeys_sortByExpiryThenKey_inUnsignedByteOrder_beforeAndAfterTheEpoch() {
    NodeId low = NodeId.fromBytes(new byte[NodeId.BYTES]);
    Instant[] times = {
        Instant.parse("1969-12-31T23:59:59Z"), Instant.EPOCH, Instant.EPOCH.plusNanos(1),
        Instant.parse("2030-01-01T00:00:00Z"), Instant.parse("2030-01-01T00:00:00.5Z"),
        Instant.parse("2100-01-01T00:00:00Z")};
    for (int i = 0; i + 1 < times.length; i++) {
      byte[] a = RecordCodec.expiryKey(times[i], key);
      byte[] b = RecordCodec.expiryKey(times[i + 1], low);
      assertThat(Arrays.compareUnsigned(a, b)).as("%s < %s", times[i], times[i + 1]).isNegative();
    }
    byte[] k = RecordCodec.expiryKey(times[3], key);
    assertThat(RecordCodec.expiryOf(k)).isEqualTo(times[3]);
    assertThat(RecordCodec.keyOf(k)).isEqualTo(key);
    assertThat(Arrays.compareUnsigned(RecordCodec.expiryKey(times[3], low), k)).isNegative();
  }
}
