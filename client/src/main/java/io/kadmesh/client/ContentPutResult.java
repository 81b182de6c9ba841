package io.kadmesh.client;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The outcome of a content put.
 *
 * @param keyHex the content key, SHA-256 of the value, as lowercase hex
 * @param replicas how many nodes acknowledged the record
 * @param expiresAt when replicas drop the value; null if the node did not say
 */
public record ContentPutResult(String keyHex, int replicas, Instant expiresAt) {

  public ContentPutResult {
    Objects.requireNonNull(keyHex, "keyHex");
  }

  /** The content key as bytes: what {@link KadmeshClient#getContent} takes. */
  public byte[] key() {
    return HexFormat.of().parseHex(keyHex);
  }
}
