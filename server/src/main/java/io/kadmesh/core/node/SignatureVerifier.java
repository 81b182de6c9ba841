package io.kadmesh.core.node;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.kadmesh.core.NodeId;
import io.kadmesh.records.SignedPayload;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Ed25519 verification that remembers what verified. A node checks one signed record many times
 * (when it keeps it, each time it serves it, in every lookup answer that carries it, before
 * republish and hand-off), and one check costs about a millisecond with the JDK's Ed25519 on a
 * small machine: without the memory a signed get cost ten checks across the mesh
 * (docs/performance.md). Only successes are remembered, under SHA-256 of the public key, the
 * signature and the signed bytes, so a record that differs in any byte is checked afresh, and a
 * forgery is never taken for a record seen before. Thread-safe.
 */
final class SignatureVerifier {
  /** Signatures remembered: about 100 bytes each, so the cache stays near a megabyte. */
  static final int CAPACITY = 10_000;

  private final Cache<NodeId, Boolean> verified;

  SignatureVerifier(int capacity) {
    this.verified = Caffeine.newBuilder().maximumSize(capacity).build();
  }

  /** Whether {@code signature} is {@code publicKey}'s signature of {@code payload}. */
  boolean verifies(byte[] publicKey, SignedPayload payload, byte[] signature) {
    byte[] signed = payload.bytes();
    NodeId digest = digest(publicKey, signature, signed);
    if (verified.getIfPresent(digest) != null) {
      return true;
    }
    if (!payload.verify(publicKey, signature)) {
      return false;
    }
    verified.put(digest, Boolean.TRUE);
    return true;
  }

  private static NodeId digest(byte[] publicKey, byte[] signature, byte[] signed) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      // Fixed lengths (checked before this is called) keep the three parts from running together.
      sha.update(publicKey);
      sha.update(signature);
      sha.update(signed);
      return NodeId.fromBytes(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
  }
}
