package io.kadmesh.core.node;

import io.kadmesh.core.Version;
import java.time.Instant;

/**
 * The outcome of a Put or Delete: how many replicas kept the record, its version and expiry, and
 * the newest version a replica refused it for because it held that (checked against the record
 * gate), or null when no replica did; short of the write quorum, that makes the write lost to it.
 */
public record WriteResult(int replicas, Version version, Instant expiresAt, Version newerHeld) {}
