package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.ValueRecord;
import java.util.Comparator;
import java.util.Objects;

/**
 * Where a store holds a record: its key and its kind, for records of different kinds under one
 * key are held apart. Ordered by key, then kind (plain first), the order a scan walks in.
 */
public record StoredKey(NodeId key, RecordKind kind) implements Comparable<StoredKey> {
  private static final Comparator<StoredKey> ORDER =
      Comparator.comparing(StoredKey::key).thenComparing(StoredKey::kind);

  public StoredKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
  }

  /** Where {@code record} is held. */
  public static StoredKey of(ValueRecord record) {
    return new StoredKey(record.key(), record.kind());
  }

  @Override
  public int compareTo(StoredKey o) {
    return ORDER.compare(this, o);
  }
}
