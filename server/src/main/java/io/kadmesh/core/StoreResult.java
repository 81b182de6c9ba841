package io.kadmesh.core;

/**
 * What a replica answered to STORE: it now holds the record's version, or it did not keep it; when
 * it did not because it holds a newer version of the key, {@code newerHeld} is that version (null
 * otherwise, e.g. for a record that had already expired).
 */
public record StoreResult(boolean stored, Version newerHeld) {
  public static final StoreResult STORED = new StoreResult(true, null);

  public StoreResult {
    if (stored && newerHeld != null) {
      throw new IllegalArgumentException("a stored record has no newer version held: " + newerHeld);
    }
  }

  /** Not kept; {@code newerHeld} is the newer version held, or null when that was not the reason. */
  public static StoreResult notStored(Version newerHeld) {
    return new StoreResult(false, newerHeld);
  }
}
