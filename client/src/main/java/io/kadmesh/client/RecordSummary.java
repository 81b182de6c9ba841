package io.kadmesh.client;

import java.time.Instant;

/**
 * One record a node holds, as its inventory lists it (without the value).
 *
 * @param keyHex the record's 32-byte DHT key, as lowercase hex
 * @param kind "plain", "signed", "content" or "endpoint"
 * @param valueBytes the value's size in bytes
 * @param storedBytes what the record costs the node's store in bytes
 * @param version the record's version (the owner's seq for signed records and endpoint entries)
 * @param expiresAt when the node drops it
 * @param tombstone whether it is a delete (or a withdrawn endpoint)
 * @param writtenAt when the writer's clock gave the version; null for signed kinds
 * @param lastReadAt when the node last served it; null when it has not since it started
 * @param readCount how many times the node served it since it started
 * @param name a signed record's name or an endpoint entry's address; empty otherwise
 * @param publicKeyHex the owner's public key in hex for signed kinds; empty otherwise
 */
public record RecordSummary(
    String keyHex,
    String kind,
    long valueBytes,
    long storedBytes,
    ValueVersion version,
    Instant expiresAt,
    boolean tombstone,
    Instant writtenAt,
    Instant lastReadAt,
    long readCount,
    String name,
    String publicKeyHex) {}
