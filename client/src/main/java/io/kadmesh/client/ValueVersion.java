package io.kadmesh.client;

import java.util.Objects;

/**
 * The version that orders writes to one key: a higher sequence wins, equal sequences are broken by
 * the writer's node ID.
 *
 * @param sequence microseconds since the Unix epoch on the writer's clock (an unsigned 64-bit value)
 * @param writerHex the 32-byte ID of the node that accepted the write, as lowercase hex
 */
public record ValueVersion(long sequence, String writerHex) {

  public ValueVersion {
    Objects.requireNonNull(writerHex, "writerHex");
  }

  /** The first eight hex digits of the writer's ID, enough to tell writers apart by eye. */
  public String shortWriter() {
    return writerHex.length() <= 8 ? writerHex : writerHex.substring(0, 8);
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(sequence) + "@" + shortWriter();
  }
}
