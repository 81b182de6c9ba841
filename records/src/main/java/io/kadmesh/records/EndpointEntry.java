package io.kadmesh.records;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One announcer's endpoint of a service, as the announcer signs it: the value of an endpoint record.
 * The byte layout is the one kadmesh.v1.RecordKind's RECORD_KIND_ENDPOINT documents:
 * <pre>
 *   u32 length, service name (UTF-8, 1 to 256 bytes)
 *   u32 length, endpoint address HOST:PORT (UTF-8, 1 to 261 bytes)
 *   32 bytes    the announcer's node ID
 *   u32         number of metadata pairs (at most 32)
 *   per pair, in ascending order of key: u32 length, key (UTF-8); u32 length, value (UTF-8)
 * </pre>
 * Integers big-endian. Keys are sorted so that one entry has one encoding. Decoding checks every
 * limit, for the bytes come from peers, who may send anything.
 */
public record EndpointEntry(String service, String address, SortedMap<String, String> metadata,
    byte[] announcerId) {
  /** The longest service name, in UTF-8 bytes. */
  public static final int MAX_SERVICE_BYTES = 256;
  /** The longest endpoint address: a 255-byte host name, a colon and a 5-digit port. */
  public static final int MAX_ADDRESS_BYTES = 261;
  /** The most metadata pairs an entry carries. */
  public static final int MAX_METADATA_PAIRS = 32;
  /** The most bytes of metadata keys and values together. */
  public static final int MAX_METADATA_BYTES = 2048;
  /** The length of a node ID. */
  public static final int ANNOUNCER_ID_BYTES = 32;

  public EndpointEntry {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(announcerId, "announcerId");
    checkLength("service", utf8(service).length, 1, MAX_SERVICE_BYTES);
    checkLength("endpoint", utf8(address).length, 1, MAX_ADDRESS_BYTES);
    if (announcerId.length != ANNOUNCER_ID_BYTES) {
      throw new IllegalArgumentException("announcer_id must be " + ANNOUNCER_ID_BYTES + " bytes, not "
          + announcerId.length);
    }
    if (metadata.size() > MAX_METADATA_PAIRS) {
      throw new IllegalArgumentException("metadata has " + metadata.size() + " pairs; the limit is "
          + MAX_METADATA_PAIRS);
    }
    int bytes = 0;
    for (Map.Entry<String, String> pair : metadata.entrySet()) {
      if (pair.getKey().isEmpty()) {
        throw new IllegalArgumentException("a metadata key is empty");
      }
      bytes += utf8(pair.getKey()).length + utf8(pair.getValue()).length;
    }
    if (bytes > MAX_METADATA_BYTES) {
      throw new IllegalArgumentException("metadata has " + bytes + " bytes of keys and values; the "
          + "limit is " + MAX_METADATA_BYTES);
    }
    metadata = Collections.unmodifiableSortedMap(new TreeMap<>(metadata));
    announcerId = announcerId.clone();
  }

  /** An entry with its metadata copied into key order. */
  public static EndpointEntry of(String service, String address, Map<String, String> metadata,
      byte[] announcerId) {
    return new EndpointEntry(service, address, new TreeMap<>(metadata), announcerId);
  }

  @Override
  public byte[] announcerId() {
    return announcerId.clone();
  }

  /** The entry's bytes, as they are signed and stored. */
  public byte[] encode() {
    byte[] serviceBytes = utf8(service);
    byte[] addressBytes = utf8(address);
    int size = 4 + serviceBytes.length + 4 + addressBytes.length + ANNOUNCER_ID_BYTES + 4;
    for (Map.Entry<String, String> pair : metadata.entrySet()) {
      size += 8 + utf8(pair.getKey()).length + utf8(pair.getValue()).length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    putBytes(out, serviceBytes);
    putBytes(out, addressBytes);
    out.put(announcerId);
    out.putInt(metadata.size());
    for (Map.Entry<String, String> pair : metadata.entrySet()) {
      putBytes(out, utf8(pair.getKey()));
      putBytes(out, utf8(pair.getValue()));
    }
    return out.array();
  }

  /**
   * Reads an entry from its bytes. Throws {@link IllegalArgumentException}, saying what is wrong,
   * for bytes that are not exactly one well-formed entry within the limits.
   */
  public static EndpointEntry decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      String service = readString(in, "service", MAX_SERVICE_BYTES);
      String address = readString(in, "endpoint", MAX_ADDRESS_BYTES);
      byte[] announcer = new byte[ANNOUNCER_ID_BYTES];
      in.get(announcer);
      int pairs = in.getInt();
      if (pairs < 0 || pairs > MAX_METADATA_PAIRS) {
        throw new IllegalArgumentException("the entry has " + Integer.toUnsignedString(pairs)
            + " metadata pairs; the limit is " + MAX_METADATA_PAIRS);
      }
      TreeMap<String, String> metadata = new TreeMap<>();
      String previous = null;
      for (int i = 0; i < pairs; i++) {
        String key = readString(in, "metadata key", MAX_METADATA_BYTES);
        String value = readString(in, "metadata value", MAX_METADATA_BYTES);
        if (previous != null && previous.compareTo(key) >= 0) {
          throw new IllegalArgumentException("the entry's metadata keys are not in ascending order");
        }
        previous = key;
        metadata.put(key, value);
      }
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("the entry has " + in.remaining() + " bytes after its end");
      }
      return new EndpointEntry(service, address, metadata, announcer);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("the entry ends early (" + bytes.length + " bytes)");
    }
  }

  /** The key its service's entries are held under. */
  public byte[] serviceKey() {
    return RecordKeys.serviceKey(service);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EndpointEntry e && service.equals(e.service) && address.equals(e.address)
        && metadata.equals(e.metadata) && Arrays.equals(announcerId, e.announcerId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(service, address, metadata, Arrays.hashCode(announcerId));
  }

  @Override
  public String toString() {
    return "EndpointEntry[" + service + " " + address + " " + metadata + "]";
  }

  private static String readString(ByteBuffer in, String field, int maxBytes) {
    int length = in.getInt();
    if (length < 0 || length > maxBytes) {
      throw new IllegalArgumentException("the entry's " + field + " is "
          + Integer.toUnsignedString(length) + " bytes; the limit is " + maxBytes);
    }
    if (length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the entry's " + field + " is not UTF-8");
    }
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    out.putInt(bytes.length).put(bytes);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void checkLength(String field, int length, int min, int max) {
    if (length < min || length > max) {
      throw new IllegalArgumentException(field + " must be " + min + " to " + max
          + " bytes of UTF-8, not " + length);
    }
  }
}
