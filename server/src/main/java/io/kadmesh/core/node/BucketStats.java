package io.kadmesh.core.node;

/** One non-empty k-bucket, for `kadmesh info`: its index, contacts and replacement cache size. */
public record BucketStats(int index, int contacts, int replacements) {}
