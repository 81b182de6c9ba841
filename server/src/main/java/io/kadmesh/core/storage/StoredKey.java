package io.kadmesh.core.storage;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.ValueRecord;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a store holds a record: its key, its kind, for records of different kinds under one key
 * are held apart, and a sub-key, for a kind that holds a set under one key. The sub-key is empty
 * for plain, signed and content records; an endpoint entry's is its announcer's public key
 * followed by the UTF-8 endpoint address (the signature's name), so that a service's key holds
 * one entry per announcer and address. Ordered by key, then kind (plain first), then sub-key as
 * unsigned bytes (shorter first on a common prefix): the order a scan walks in.
 */
public record StoredKey(NodeId key, RecordKind kind, byte[] subKey)
    implements Comparable<StoredKey> {
  private static final byte[] NONE = new byte[0];
  private static final Comparator<StoredKey> ORDER =
      Comparator.comparing(StoredKey::key).thenComparing(StoredKey::kind)
          .thenComparing((a, b) -> Arrays.compareUnsigned(a.subKey, b.subKey));

  public StoredKey {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(kind, "kind");
    subKey = Objects.requireNonNull(subKey, "subKey").clone();
  }

  /** The one slot of a kind without a set: its sub-key is empty. */
  public StoredKey(NodeId key, RecordKind kind) {
    this(key, kind, NONE);
  }

  /** Where {@code record} is held. */
  public static StoredKey of(ValueRecord record) {
    if (record.kind() != RecordKind.ENDPOINT) {
      return new StoredKey(record.key(), record.kind());
    }
    return new StoredKey(record.key(), record.kind(), endpointSubKey(record.signature()));
  }

  /** An endpoint entry's sub-key: the announcer's public key, then its address's UTF-8 bytes. */
  public static byte[] endpointSubKey(RecordSignature signature) {
    byte[] publicKey = signature.publicKey();
    byte[] address = signature.name().getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(publicKey, publicKey.length + address.length);
    System.arraycopy(address, 0, out, publicKey.length, address.length);
    return out;
  }

  /** A copy of the sub-key's bytes. */
  @Override
  public byte[] subKey() {
    return subKey.clone();
  }

  /** The sub-key's length, without a copy. */
  public int subKeyLength() {
    return subKey.length;
  }

  @Override
  public int compareTo(StoredKey o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoredKey s && key.equals(s.key) && kind == s.kind
        && Arrays.equals(subKey, s.subKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, kind, Arrays.hashCode(subKey));
  }

  @Override
  public String toString() {
    return "StoredKey[" + key.shortHex() + ", " + kind
        + (subKey.length == 0 ? "" : ", " + HexFormat.of().formatHex(subKey)) + "]";
  }
}
