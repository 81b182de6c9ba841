package io.kadmesh.server.grpc;

import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.PeerRecord;

/**
 * Opens the package-private {@link ProtoCodec} to the benchmarks, which live in another package;
 * benchmark-only, compiled by the jmh profile alone.
 */
public final class ProtoCodecAccess {
  private ProtoCodecAccess() {}

  public static PeerRecord encode(ValueRecord record) {
    return ProtoCodec.encode(record);
  }

  public static ValueRecord decode(PeerRecord record) {
    return ProtoCodec.decode(record, "record");
  }
}
