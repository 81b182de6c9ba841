package io.kadmesh.client;

import com.google.protobuf.Timestamp;
import io.kadmesh.proto.v1.BucketInfo;
import io.kadmesh.proto.v1.DrainResponse;
import io.kadmesh.proto.v1.ListContactsResponse;
import io.kadmesh.proto.v1.ListRecordsResponse;
import io.kadmesh.proto.v1.RecordInfo;
import io.kadmesh.proto.v1.RecordKind;
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

  static RecordPage recordPage(ListRecordsResponse page) {
    return new RecordPage(page.getRecordsList().stream().map(ProtoConversions::record).toList(),
        page.getNextPageToken(), page.getTotal());
  }

  private static RecordSummary record(RecordInfo r) {
    return new RecordSummary(
        HEX.formatHex(r.getKey().toByteArray()),
        kindName(r.getKind()),
        r.getValueBytes(),
        r.getStoredBytes(),
        version(r.getVersion()),
        instantOrNull(r.hasExpiresAt(), r.getExpiresAt()),
        r.getTombstone(),
        instantOrNull(r.hasWrittenAt(), r.getWrittenAt()),
        instantOrNull(r.hasLastReadAt(), r.getLastReadAt()),
        r.getReadCount(),
        r.getName(),
        HEX.formatHex(r.getPublicKey().toByteArray()));
  }

  /** The kind as a word; a kind newer than this client is named by its number. */
  private static String kindName(RecordKind kind) {
    return switch (kind) {
      case RECORD_KIND_UNSPECIFIED -> "plain";
      case RECORD_KIND_SIGNED -> "signed";
      case RECORD_KIND_CONTENT -> "content";
      case RECORD_KIND_ENDPOINT -> "endpoint";
      case UNRECOGNIZED -> "kind-" + kind.getNumber();
    };
  }

  static List<RoutingContact> contacts(ListContactsResponse response) {
    return response.getContactsList().stream().map(c -> new RoutingContact(
        HEX.formatHex(c.getNodeId().toByteArray()),
        c.getAddress(),
        c.getBucket(),
        instantOrNull(c.hasLastSeenAt(), c.getLastSeenAt()),
        c.getFailures(),
        c.getStale(),
        c.getReplacement())).toList();
  }

  static DrainResult drain(DrainResponse r) {
    return new DrainResult(r.getRecordsHeld(), r.getRecordsHandedOff(),
        r.getAnnouncementsWithdrawn(), r.getAlreadyDrained(), r.getTimedOut());
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
