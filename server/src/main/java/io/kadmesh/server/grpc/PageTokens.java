package io.kadmesh.server.grpc;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.storage.StoredKey;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Base64;

/**
 * ListRecords' page tokens: where the next page starts, the last {@link StoredKey} of the page
 * before, as URL-safe base64 of a format byte, the 32-byte key, the kind and the sub-key. Opaque to
 * callers; a token that does not decode is INVALID_ARGUMENT, never a crash.
 */
final class PageTokens {
  private static final byte FORMAT = 1;
  /** An endpoint sub-key: a 32-byte public key and an address of at most 261 bytes. */
  private static final int MAX_SUB_KEY = 32 + 261;
  /** Base64 of the longest token, rounded up. */
  static final int MAX_TOKEN_CHARS = 4 * ((2 + NodeId.BYTES + MAX_SUB_KEY + 2) / 3);
  private static final RecordKind[] KINDS = RecordKind.values();

  private PageTokens() {}

  static String encode(StoredKey at) {
    if (at == null) return "";
    byte[] subKey = at.subKey();
    ByteBuffer b = ByteBuffer.allocate(2 + NodeId.BYTES + subKey.length);
    b.put(FORMAT).put(at.key().toBytes()).put((byte) at.kind().ordinal()).put(subKey);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  /** The key a token stands for; null for the empty token (the first page). */
  static StoredKey decode(String token) {
    if (token.isEmpty()) return null;
    if (token.length() > MAX_TOKEN_CHARS) {
      throw invalid("is " + token.length() + " characters, the longest token is " + MAX_TOKEN_CHARS);
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw invalid("is not URL-safe base64");
    }
    if (bytes.length < 2 + NodeId.BYTES || bytes[0] != FORMAT) {
      throw invalid("does not start like one");
    }
    int kind = bytes[1 + NodeId.BYTES];
    if (kind < 0 || kind >= KINDS.length) {
      throw invalid("names no record kind");
    }
    byte[] subKey = Arrays.copyOfRange(bytes, 2 + NodeId.BYTES, bytes.length);
    if ((KINDS[kind] == RecordKind.ENDPOINT) == (subKey.length == 0)) {
      throw invalid("has a sub-key where its kind has none, or none where it needs one");
    }
    NodeId key = NodeId.fromBytes(Arrays.copyOfRange(bytes, 1, 1 + NodeId.BYTES));
    return new StoredKey(key, KINDS[kind], subKey);
  }

  private static WireFormatException invalid(String why) {
    return new WireFormatException("page_token is not a next_page_token a ListRecords answer gave: "
        + "it " + why);
  }
}
