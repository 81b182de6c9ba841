package io.kadmesh.core.node;

import io.kadmesh.core.Version;
import java.time.Instant;

/**
 * The outcome of a write: how many replicas kept the record, its version and expiry, and what a
 * replica refused it for because it held a record that wins: for plain and content records the
 * newest such version (checked against the record gate), for signed records the highest such seq;
 * null and 0 when no replica did. Short of the write quorum, that makes the write lost to it.
 */
public record WriteResult(int replicas, Version version, Instant expiresAt, Version newerHeld,
    long heldSeq) {
  /** A write no replica refused for a winning record. */
  public WriteResult(int replicas, Version version, Instant expiresAt) {
    this(replicas, version, expiresAt, null, 0);
  }
}
