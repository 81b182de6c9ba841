package io.kadmesh.server.grpc;

/** Where a running node listens and what it tells peers, for GetNodeInfo. */
public record NodeAddresses(String peer, String api, String advertised) {}
