package io.kadmesh.testing;

import io.kadmesh.core.Version;

/** The acknowledgement of a put or a delete: how many nodes stored it, and its version. */
public record WriteAck(int replicas, Version version) {}
