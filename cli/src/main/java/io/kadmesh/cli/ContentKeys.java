package io.kadmesh.cli;

import io.kadmesh.records.RecordKeys;
import java.util.HexFormat;

/** Content keys on the command line: 64 hex digits, SHA-256 of the value. */
final class ContentKeys {

  private ContentKeys() {}

  /** The 32-byte key; IllegalArgumentException naming what is wrong. */
  static byte[] parse(String hex) {
    String digits = hex.strip();
    byte[] key;
    try {
      key = HexFormat.of().parseHex(digits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a content key is " + 2 * RecordKeys.KEY_BYTES
          + " hex digits, got '" + hex + "'");
    }
    if (key.length != RecordKeys.KEY_BYTES) {
      throw new IllegalArgumentException("a content key is " + 2 * RecordKeys.KEY_BYTES
          + " hex digits, got " + digits.length());
    }
    return key;
  }
}
