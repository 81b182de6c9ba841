package io.kadmesh.tls;

import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Reads the PEM files TLS needs, failing with one line that names the file and what to do: a
 * missing file, a file that is no PEM certificate, a key in a form Java cannot read (PKCS#1 or
 * SEC1, as older openssl commands write), a key that does not belong to its certificate.
 */
public final class PemFiles {
  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";

  private PemFiles() {}

  /** The contents of a file, or a TlsFileException naming it. */
  static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new TlsFileException(file + ": no such file");
    } catch (IOException e) {
      throw new TlsFileException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** The certificates of a PEM file (a chain, leaf first, or a set of CAs): at least one. */
  public static X509Certificate[] certificates(Path file) {
    return certificates(file, read(file));
  }

  static X509Certificate[] certificates(Path file, byte[] pem) {
    X509Certificate[] certs;
    try {
      certs = CertificateUtils.getX509Certificates(new ByteArrayInputStream(pem));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new TlsFileException(file + ": not a PEM certificate (" + e.getMessage() + ")", e);
    }
    if (certs.length == 0) {
      throw new TlsFileException(file + ": holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certs;
  }

  /** The unencrypted PKCS#8 private key (RSA or EC) of a PEM file. */
  public static PrivateKey privateKey(Path file) {
    return privateKey(file, read(file));
  }

  static PrivateKey privateKey(Path file, byte[] pem) {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (!text.contains(PKCS8_BEGIN)) {
      if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
        throw new TlsFileException(file + ": a PKCS#1/SEC1 key; convert it to PKCS#8 with "
            + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY.pem");
      }
      if (text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
        throw new TlsFileException(file + ": an encrypted key; kadmesh reads unencrypted PKCS#8 keys "
            + "(openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY.pem)");
      }
      throw new TlsFileException(file + ": not a PEM private key (" + PKCS8_BEGIN + ")");
    }
    try {
      return CertificateUtils.getPrivateKey(new ByteArrayInputStream(pem));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new TlsFileException(file + ": not an RSA or EC private key kadmesh can read ("
          + e.getMessage() + ")", e);
    }
  }

  /**
   * Fails unless {@code key} belongs to the leaf of {@code chain}: it signs a random challenge that
   * the certificate's public key must verify. Without this check a mismatch shows only as failed
   * handshakes on the other side.
   */
  public static void checkPair(Path certificateFile, X509Certificate[] chain, Path keyFile, PrivateKey key) {
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> throw new TlsFileException(keyFile + ": a " + key.getAlgorithm()
          + " key; kadmesh reads RSA and EC keys");
    };
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(chain[0].getPublicKey());
      verifier.update(challenge);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new TlsFileException(keyFile + " is not the private key of the certificate in " + certificateFile);
    }
  }
}
