package io.kadmesh.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The 32-byte DHT keys of signed, content-addressed and endpoint records. */
public final class RecordKeys {
  /** The length of a key: a SHA-256 digest. */
  public static final int KEY_BYTES = 32;

  private RecordKeys() {}

  /** A signed record's key: SHA-256(raw 32-byte public key ‖ UTF-8 name). */
  public static byte[] signedKey(byte[] rawPublicKey, String name) {
    MessageDigest sha = sha256();
    sha.update(rawPublicKey);
    sha.update(name.getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  /** The prefix hashed before a service's name, so that its key is not a plain key's. */
  public static final String SERVICE_KEY_PREFIX = "kadmesh-service-v1:";

  /** The key under which a service's endpoint entries are held: SHA-256("kadmesh-service-v1:" ‖ UTF-8 name). */
  public static byte[] serviceKey(String service) {
    MessageDigest sha = sha256();
    sha.update(SERVICE_KEY_PREFIX.getBytes(StandardCharsets.US_ASCII));
    sha.update(service.getBytes(StandardCharsets.UTF_8));
    return sha.digest();
  }

  /** A content record's key: SHA-256 of its value. */
  public static byte[] contentKey(byte[] value) {
    return sha256().digest(value);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
