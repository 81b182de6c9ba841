package io.kadmesh.core.node;

import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.storage.ReadStats;
import java.util.Objects;

/**
 * One line of the node's inventory: a record it holds and how often it served it since it started.
 */
public record HeldRecord(ValueRecord record, ReadStats.Reads reads) {
  public HeldRecord {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(reads, "reads");
  }
}
