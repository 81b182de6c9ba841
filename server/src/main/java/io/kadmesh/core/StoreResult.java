package io.kadmesh.core;

import java.util.List;

/**
 * What a replica answered to STORE: it now holds the record's version, or it did not keep it. When
 * it did not because it holds a record of the key that wins: for a plain or content record,
 * {@code newerHeld} is that record's version; for a signed record, {@code heldSeq} is that record's
 * seq (its version is derived from its signature and means nothing to the writer). Both are
 * empty (null, 0) otherwise, e.g. for a record that had already expired. {@code closer}: the
 * contacts the replica knows closest to the key, as FIND_NODE answers them (and as it claims
 * them: the writer checks them before believing them), so that a STORE doubles as a lookup's last
 * round; empty when it named none.
 */
public record StoreResult(boolean stored, Version newerHeld, long heldSeq, List<Contact> closer) {
  public static final StoreResult STORED = new StoreResult(true, null, 0);

  /** An answer that names no closer contact. */
  public StoreResult(boolean stored, Version newerHeld, long heldSeq) {
    this(stored, newerHeld, heldSeq, List.of());
  }

  public StoreResult {
    closer = List.copyOf(closer);
    if (stored && (newerHeld != null || heldSeq != 0)) {
      throw new IllegalArgumentException("a stored record has no newer record held: " + newerHeld
          + ", seq " + heldSeq);
    }
    if (newerHeld != null && heldSeq != 0) {
      throw new IllegalArgumentException("a held record has a version or a seq, not both");
    }
    if (heldSeq < 0) {
      throw new IllegalArgumentException("a seq is 1 to 2^63-1, got " + heldSeq);
    }
  }

  /** Not kept; {@code newerHeld} is the newer version held, or null when that was not the reason. */
  public static StoreResult notStored(Version newerHeld) {
    return new StoreResult(false, newerHeld, 0);
  }

  /** Not kept because a signed record with {@code seq} (as high or higher) wins over it. */
  public static StoreResult signedHeld(long seq) {
    return new StoreResult(false, null, seq);
  }

  /** This answer, naming {@code closer} as the contacts the replica knows closest to the key. */
  public StoreResult withCloser(List<Contact> closer) {
    return new StoreResult(stored, newerHeld, heldSeq, closer);
  }
}
