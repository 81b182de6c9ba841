package io.kadmesh.tls;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where one side's TLS material lives: its own certificate chain and private key (PEM, PKCS#8),
 * presented to the other side, and the CA certificates it trusts. A server needs its certificate
 * and key, and requires clients to present a certificate when it has a CA; a client may have only a
 * CA (no client certificate) or neither (the system's trusted CAs).
 *
 * @param certificate the certificate chain, leaf first; null for none
 * @param privateKey the certificate's private key; given exactly when the certificate is
 * @param authority the CA certificates that sign the other side's certificates; null for none
 */
public record TlsFiles(Path certificate, Path privateKey, Path authority) {

  public TlsFiles {
    if ((certificate == null) != (privateKey == null)) {
      throw new IllegalArgumentException(certificate == null
          ? "a private key needs its certificate" : "a certificate needs its private key");
    }
  }

  /** A client that trusts {@code authority} and presents no certificate. */
  public static TlsFiles trusting(Path authority) {
    return new TlsFiles(null, null, authority);
  }

  /** Whether a certificate and key are given. */
  public boolean hasIdentity() {
    return certificate != null;
  }

  public Optional<Path> authorityFile() {
    return Optional.ofNullable(authority);
  }
}
