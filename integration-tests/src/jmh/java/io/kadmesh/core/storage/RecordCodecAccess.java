package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.ValueRecord;

/**
 * Opens the package-private {@link RecordCodec} to the benchmarks, which live in another package;
 * benchmark-only, compiled by the jmh profile alone.
 */
public final class RecordCodecAccess {
  private RecordCodecAccess() {}

  public static byte[] encode(ValueRecord record) {
    return RecordCodec.encode(record);
  }

  public static ValueRecord decode(NodeId key, byte[] bytes) {
    return RecordCodec.decode(key, bytes);
  }
}
