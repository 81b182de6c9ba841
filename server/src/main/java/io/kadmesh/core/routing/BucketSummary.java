package io.kadmesh.core.routing;

import java.time.Instant;

/** A read-only view of one k-bucket: its index, how full it is and when a lookup last touched it. */
public record BucketSummary(int index, int contacts, int replacements, Instant lastTouched) {}
