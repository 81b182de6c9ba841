package io.kadmesh.client;

import java.util.Objects;

/**
 * What a node holds and where. The counts are unsigned 64-bit values on the wire; nodes that
 * predate the limits and the engine report 0 and "" for them.
 *
 * @param records how many records (tombstones included) the node holds
 * @param storedBytes how many bytes of keys and values it holds
 * @param maxRecords the most records it holds before refusing new keys; 0 if it did not say
 * @param maxStoredBytes the most bytes it holds; 0 if it did not say
 * @param engine "rocksdb" (on disk) or "memory"; empty if it did not say
 * @param dataDir its data directory; empty when it keeps nothing on disk
 */
public record StorageSummary(
    long records,
    long storedBytes,
    long maxRecords,
    long maxStoredBytes,
    String engine,
    String dataDir) {

  public StorageSummary {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(dataDir, "dataDir");
  }

  /** True when the node reported its limits (nodes that predate them send zeros). */
  public boolean hasLimits() {
    return maxRecords != 0 || maxStoredBytes != 0;
  }
}
