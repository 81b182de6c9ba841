package io.kadmesh.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.SignedRecords;
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

    assertThat(encoded[0]).isEqualTo(RecordCodec.FORMAT_3);
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

  @Test
  void format2_writtenByTheBuildBeforeKinds_stillDecodes_asAPlainRecordWithItsPlacer() {
    NodeId placer = NodeId.random(random);
    ValueRecord r = ValueRecord.value(key, new byte[] {7, 8, 9}, new Version(12, writer),
        Instant.parse("2031-05-06T07:08:09.5Z"));
    ValueRecord tomb = ValueRecord.tombstone(key, new Version(13, writer), r.expiresAt());
    byte[] format2 = format2(r, placer);

    assertThat(RecordCodec.decode(key, format2)).isEqualTo(r);
    assertThat(RecordCodec.decode(key, format2(tomb, null))).isEqualTo(tomb);
    assertThat(RecordCodec.storedBytes(format2)).isEqualTo(r.storedBytes());
    assertThat(RecordCodec.placerOf(key, format2)).isEqualTo(placer);
    assertThat(RecordCodec.placerOf(key, format2(tomb, null))).isNull();
  }

  @Test
  void signedValueAndTombstone_roundTrip_withTheirSignature_andCostWhatTheRecordCosts() {
    SignedRecords owner = new SignedRecords();
    Instant exp = Instant.parse("2031-05-06T07:08:09Z");
    ValueRecord value = owner.value("näme", Long.MAX_VALUE, new byte[] {1, 2, 3}, exp);
    ValueRecord tomb = owner.tombstone("näme", 8, exp);
    NodeId placer = NodeId.random(random);

    for (ValueRecord r : new ValueRecord[] {value, tomb}) {
      byte[] encoded = RecordCodec.encode(r, placer);
      ValueRecord decoded = RecordCodec.decode(r.key(), encoded);
      assertThat(decoded).isEqualTo(r);
      assertThat(decoded.kind()).isEqualTo(RecordKind.SIGNED);
      assertThat(decoded.signature()).isEqualTo(r.signature());
      assertThat(decoded.version()).isEqualTo(r.version());
      assertThat(decoded.isTombstone()).isEqualTo(r.isTombstone());
      assertThat(RecordCodec.storedBytes(encoded)).isEqualTo(r.storedBytes());
      assertThat(RecordCodec.placerOf(r.key(), encoded)).isEqualTo(placer);
    }
  }

  @Test
  void contentRecord_roundTrips_asContent() {
    byte[] bytes = {5, 6};
    ValueRecord r = ValueRecord.content(NodeId.ofBytes(bytes), bytes, new Version(4, writer),
        Instant.parse("2031-01-01T00:00:00.25Z"));
    byte[] encoded = RecordCodec.encode(r);

    assertThat(RecordCodec.decode(r.key(), encoded)).isEqualTo(r);
    assertThat(RecordCodec.decode(r.key(), encoded).kind()).isEqualTo(RecordKind.CONTENT);
    assertThat(RecordCodec.storedBytes(encoded)).isEqualTo(r.storedBytes());
  }

  @Test
  void storeKeys_keepPlainKeysAsTheyWere_andOrderByKeyThenKind() {
    byte[] plain = RecordCodec.storeKey(new StoredKey(key, RecordKind.PLAIN));
    byte[] signed = RecordCodec.storeKey(new StoredKey(key, RecordKind.SIGNED));
    byte[] content = RecordCodec.storeKey(new StoredKey(key, RecordKind.CONTENT));
    byte[] next = RecordCodec.storeKey(new StoredKey(NodeId.fromBytes(bytesAbove(key)),
        RecordKind.PLAIN));

    assertThat(plain).isEqualTo(key.toBytes());
    assertThat(Arrays.compareUnsigned(plain, signed)).isNegative();
    assertThat(Arrays.compareUnsigned(signed, content)).isNegative();
    assertThat(Arrays.compareUnsigned(content, next)).isNegative();
    for (RecordKind kind : RecordKind.values()) {
      StoredKey at = new StoredKey(key, kind);
      assertThat(RecordCodec.storedKeyOf(RecordCodec.storeKey(at))).isEqualTo(at);
      assertThat(RecordCodec.keyOf(RecordCodec.expiryKey(Instant.EPOCH, at))).isEqualTo(at);
    }
  }

  /** The key one above {@code id} (the test's random key is never all ones). */
  private static byte[] bytesAbove(NodeId id) {
    byte[] b = id.toBytes();
    for (int i = b.length - 1; i >= 0; i--) {
      if (++b[i] != 0) break;
    }
    return b;
  }

  /** Format 2 byte for byte, as the build before kinds wrote it. */
  static byte[] format2(ValueRecord r, NodeId placer) {
    byte[] value = r.valueUnsafe();
    return java.nio.ByteBuffer.allocate(RecordCodec.HEADER_2_BYTES + value.length)
        .put(RecordCodec.FORMAT_2)
        .put((byte) ((r.isTombstone() ? 1 : 0) | (placer != null ? 2 : 0)))
        .putLong(r.version().sequence())
        .put(r.version().writer().toBytes())
        .putLong(r.expiresAt().getEpochSecond())
        .putInt(r.expiresAt().getNano())
        .put(placer == null ? new byte[NodeId.BYTES] : placer.toBytes())
        .put(value)
        .array();
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
    future[0] = 4;
    assertThatThrownBy(() -> RecordCodec.decode(key, future)).hasMessageContaining("format 4");
    byte[] unknownKind = encoded.clone();
    unknownKind[2] = 9;
    assertThatThrownBy(() -> RecordCodec.decode(key, unknownKind)).hasMessageContaining("kind 9");
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
      byte[] a = RecordCodec.expiryKey(times[i], RecordStoreContract.plain(key));
      byte[] b = RecordCodec.expiryKey(times[i + 1], RecordStoreContract.plain(low));
      assertThat(Arrays.compareUnsigned(a, b)).as("%s < %s", times[i], times[i + 1]).isNegative();
    }
    byte[] k = RecordCodec.expiryKey(times[3], RecordStoreContract.plain(key));
    assertThat(RecordCodec.expiryOf(k)).isEqualTo(times[3]);
    assertThat(RecordCodec.keyOf(k)).isEqualTo(RecordStoreContract.plain(key));
    assertThat(Arrays.compareUnsigned(RecordCodec.expiryKey(times[3], RecordStoreContract.plain(low)), k)).isNegative();
  }
}
