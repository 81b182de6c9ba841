package io.kadmesh.core.node;

import io.kadmesh.core.Version;
import java.time.Instant;

/** The outcome of a Put or Delete: how many replicas kept the record, its version and expiry. */
public record WriteResult(int replicas, Version version, Instant expiresAt) {}
