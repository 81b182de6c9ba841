package io.kadmesh.server.grpc;

import com.google.protobuf.ByteString;
import io.kadmesh.core.EndpointRecords;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.Endpoint;
import io.kadmesh.records.EndpointEntry;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the endpoint records the core resolves into the API's {@code Endpoint} messages: the live
 * ones only (withdrawn entries are the core's to keep, not the application's to see), ordered by
 * address, then announcer, as ResolveResponse documents.
 */
final class EndpointMessages {
  private static final Comparator<Live> ORDER =
      Comparator.<Live, String>comparing(l -> l.entry.address())
          .thenComparing((a, b) -> Arrays.compareUnsigned(a.entry.announcerId(),
              b.entry.announcerId()))
          .thenComparing((a, b) -> Arrays.compareUnsigned(a.record.signature().publicKey(),
              b.record.signature().publicKey()));

  private EndpointMessages() {}

  /** The live endpoints among {@code records} (checked by the core's record gate), in order. */
  static List<Endpoint> live(List<ValueRecord> records) {
    return records.stream()
        .filter(r -> !r.isTombstone())
        .map(r -> new Live(r, EndpointRecords.entry(r)))
        .sorted(ORDER)
        .map(EndpointMessages::encode)
        .toList();
  }

  /** One endpoint record as the API shows it. */
  static Endpoint encode(ValueRecord record) {
    return encode(new Live(record, EndpointRecords.entry(record)));
  }

  private static Endpoint encode(Live live) {
    return Endpoint.newBuilder()
        .setAddress(live.entry.address())
        .putAllMetadata(live.entry.metadata())
        .setAnnouncer(ByteString.copyFrom(live.entry.announcerId()))
        .setAnnouncerKey(ByteString.copyFrom(live.record.signature().publicKey()))
        .setExpiresAt(ProtoCodec.encode(live.record.expiresAt()))
        .build();
  }

  private record Live(ValueRecord record, EndpointEntry entry) {}
}
