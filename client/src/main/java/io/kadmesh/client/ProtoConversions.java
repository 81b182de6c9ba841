package io.kadmesh.client;

import com.google.protobuf.Timestamp;
import io.kadmesh.proto.v1.BucketInfo;
import io.kadmesh.proto.v1.GetNodeInfoResponse;
import io.kadmesh.proto.v1.ResolveResponse;
import io.kadmesh.proto.v1.Version;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/** Converts between the wire messages and the client's value types. */
final class ProtoConversions {

  private static final HexFormat HEX = HexFormat.of();

  private ProtoConversions() {}

  static ValueVersion version(Version version) {
    return new ValueVersion(version.getSequence(), HEX.formatHex(version.getWriterId().toByteArray()));
  }

  static Instant instantOrNull(boolean present, Timestamp timestamp) {
    return present ? instant(timestamp) : null;
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  static NodeInfo nodeInfo(GetNodeInfoResponse info) {
    return new NodeInfo(
        HEX.formatHex(info.getNodeId().toByteArray()),
        info.getNetwork(),
        info.getPeerAddress(),
        info.getApiAddress(),
        info.getAdvertiseAddress(),
        info.getK(),
        info.getAlpha(),
        info.getContacts(),
        info.getBucketsList().stream().map(ProtoConversions::bucket).toList(),
        new StorageSummary(
            info.getRecords(),
            info.getStoredBytes(),
            info.getMaxRecords(),
            info.getMaxStoredBytes(),
            info.getStorage(),
            info.getDataDir()),
        instantOrNull(info.hasStartedAt(), info.getStartedAt()),
        info.getLiveContacts(),
        info.getCutOff(),
        info.getWriteQuorum());
  }

  private static BucketSummary bucket(BucketInfo bucket) {
    return new BucketSummary(bucket.getIndex(), bucket.getContacts(), bucket.getReplacements());
  }

  /** Java keeps nanos positive; protobuf wants seconds and nanos of the same sign. */
  static com.google.protobuf.Duration duration(Duration duration) {
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds < 0 && nanos > 0) {
      seconds += 1;
      nanos -= 1_000_000_000;
    }
    return com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  static List<ServiceEndpoint> endpoints(ResolveResponse response) {
    return response.getEndpointsList().stream()
        .map(e -> ServiceEndpoint.of(e.getAddress(), e.getMetadataMap(),
            HEX.formatHex(e.getAnnouncer().toByteArray()),
            HEX.formatHex(e.getAnnouncerKey().toByteArray()),
            instant(e.getExpiresAt())))
        .toList();
  }
}
