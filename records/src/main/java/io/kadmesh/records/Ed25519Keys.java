package io.kadmesh.records;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys in the forms kadmesh uses: the raw 32-byte public key (RFC 8032) that names a signed
 * record's owner, and the PKCS#8 PEM private key file that {@code kadmesh keygen} writes and that
 * OpenSSL ({@code openssl genpkey -algorithm ed25519}) and Python's cryptography read and write.
 */
public final class Ed25519Keys {
  /** The length of a raw public key. */
  public static final int PUBLIC_KEY_BYTES = 32;
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4), before the raw key. */
  private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";

  private Ed25519Keys() {}

  /** A new key pair from the system's strong random source. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has Ed25519 since 15", e);
    }
  }

  /** The raw 32 bytes of an Ed25519 public key. */
  public static byte[] raw(PublicKey publicKey) {
    byte[] spki = publicKey.getEncoded();
    if (!"Ed25519".equals(publicKey.getAlgorithm()) && !"EdDSA".equals(publicKey.getAlgorithm())
        || spki.length != SPKI_PREFIX.length + PUBLIC_KEY_BYTES
        || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + publicKey.getAlgorithm());
    }
    return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
  }

  /** The public key whose raw form is these 32 bytes; IllegalArgumentException when they are not one. */
  public static PublicKey publicKey(byte[] raw) {
    if (raw.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("an Ed25519 public key is " + PUBLIC_KEY_BYTES
          + " bytes, got " + raw.length);
    }
    byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + PUBLIC_KEY_BYTES);
    System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, PUBLIC_KEY_BYTES);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /** A raw public key from 64 hex digits; IllegalArgumentException naming what is wrong. */
  public static byte[] parseHex(String hex) {
    byte[] raw;
    try {
      raw = HexFormat.of().parseHex(hex.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("a public key is " + 2 * PUBLIC_KEY_BYTES
          + " hex digits, got '" + hex + "'");
    }
    if (raw.length != PUBLIC_KEY_BYTES) {
      throw new IllegalArgumentException("a public key is " + 2 * PUBLIC_KEY_BYTES
          + " hex digits, got " + hex.strip().length());
    }
    return raw;
  }

  /**
   * The public key of a private key. The JDK has no call for it, so the key pair is generated again
   * from the private key's 32-byte seed, which is what Ed25519 key generation draws (RFC 8032
   * §5.1.5); a signature made and checked with the pair proves the result.
   */
  public static KeyPair keyPair(PrivateKey privateKey) {
    byte[] seed = seedOf(privateKey);
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
      generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
      KeyPair pair = generator.generateKeyPair();
      SignedPayload probe = new SignedPayload("probe", 1, new byte[0], 0, false);
      if (!probe.verify(raw(pair.getPublic()), probe.sign(privateKey))) {
        throw new IllegalStateException("this JDK derives Ed25519 keys differently");
      }
      return new KeyPair(pair.getPublic(), privateKey);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has Ed25519 since 15", e);
    }
  }

  /** Reads a PKCS#8 PEM Ed25519 private key file, with the public key that goes with it. */
  public static KeyPair read(Path file) throws IOException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      throw new IOException(file + " is not a PEM private key (" + PEM_BEGIN + " … " + PEM_END + ")");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " has a PEM block that is not base64", e);
    }
    try {
      return keyPair(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IOException(file + " is not an Ed25519 private key: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code privateKey} as a new PKCS#8 PEM file readable by its owner alone (where POSIX);
   * FileAlreadyExistsException rather than overwrite a key that may be the only copy.
   */
  public static void write(PrivateKey privateKey, Path file) throws IOException {
    String pem = PEM_BEGIN + "\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(privateKey.getEncoded())
        + "\n" + PEM_END + "\n";
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(file);
    }
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }

  private static byte[] seedOf(PrivateKey privateKey) {
    if (privateKey instanceof java.security.interfaces.EdECPrivateKey ed) {
      return ed.getBytes().orElseThrow(() -> new IllegalArgumentException("the private key's bytes are not available"));
    }
    throw new IllegalArgumentException("not an Ed25519 private key: " + privateKey.getAlgorithm());
  }

  /** Hands out one seed, then refuses: a key generation that drew more would fail loudly. */
  private static final class SeedRandom extends SecureRandom {
    private byte[] seed;

    SeedRandom(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (seed == null || bytes.length != seed.length) {
        throw new IllegalStateException("Ed25519 key generation drew other than one 32-byte seed");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
      seed = null;
    }
  }
}
