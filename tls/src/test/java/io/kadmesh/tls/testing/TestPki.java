package io.kadmesh.tls.testing;

import io.kadmesh.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test CA and the certificates it issues (EC P-256), made fresh by each test and written as PEM
 * files: no secrets are checked in. Alternative names are written as openssl writes them:
 * {@code "URI:kadmesh://node-1"}, {@code "DNS:localhost"}, {@code "IP:127.0.0.1"}.
 */
public final class TestPki {
  private static final AtomicLong SERIALS = new AtomicLong(System.nanoTime());
  private static final Duration VALIDITY = Duration.ofDays(1);

  private final KeyPair keys;
  private final X509Certificate certificate;

  private TestPki(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed CA named {@code CN=commonName}. */
  public static TestPki authority(String commonName) {
    KeyPair keys = newKeys();
    X500Name name = new X500Name("CN=" + commonName);
    X509v3CertificateBuilder builder = builder(name, name, keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new TestPki(keys, sign(builder, keys.getPrivate()));
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** Writes the CA certificate as PEM (atomically: a reloading reader never sees half of it). */
  public Path writeCertificate(Path file) {
    return writeBundle(file, this);
  }

  /** Writes several CAs' certificates in one PEM file, as during a rollover from one CA to the next. */
  public static Path writeBundle(Path file, TestPki... authorities) {
    StringBuilder text = new StringBuilder();
    for (TestPki authority : authorities) {
      text.append(pem("CERTIFICATE", encoded(authority.certificate)));
    }
    writeAtomically(file, text.toString());
    return file;
  }

  /**
   * A certificate for a new key, signed by this CA; {@code commonName} null for a subject without
   * CN, {@code altNames} as openssl writes them ({@code URI:…}, {@code DNS:…}, {@code IP:…}).
   */
  public Issued issue(String commonName, String... altNames) {
    KeyPair leafKeys = newKeys();
    X500Name subject = new X500Name(commonName == null ? "O=kadmesh tests" : "CN=" + commonName);
    X509v3CertificateBuilder builder = builder(
        new X500Name(certificate.getSubjectX500Principal().getName()), subject, leafKeys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      if (altNames.length > 0) {
        List<GeneralName> names = new ArrayList<>();
        for (String altName : altNames) {
          names.add(generalName(altName));
        }
        builder.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Issued(sign(builder, keys.getPrivate()), leafKeys.getPrivate());
  }

  /**
   * A node's certificate as the README makes them: its identity in a URI name, and the loopback
   * names so that the same certificate serves an API port on 127.0.0.1 or localhost.
   */
  public Issued node(String uri) {
    return issue(null, "URI:" + uri, "DNS:localhost", "IP:127.0.0.1");
  }

  /** A certificate and its private key. */
  public record Issued(X509Certificate certificate, PrivateKey key) {

    /** Writes {@code name}.crt and {@code name}.key in {@code dir}; answers them with the CA file. */
    public TlsFiles write(Path dir, String name, Path authority) {
      Path cert = dir.resolve(name + ".crt");
      Path key = dir.resolve(name + ".key");
      writeAtomically(key, pem("PRIVATE KEY", this.key.getEncoded()));
      writeAtomically(cert, pem("CERTIFICATE", encoded(certificate)));
      return new TlsFiles(cert, key, authority);
    }

    public BigInteger serial() {
      return certificate.getSerialNumber();
    }
  }

  /**
   * The certificate a TLS server at HOST:PORT presents to a new connection, read with plain JSSE:
   * the client trusts {@code trusted} and presents {@code client} (null for no certificate).
   */
  public static X509Certificate servedCertificate(String hostPort, X509Certificate trusted, Issued client)
      throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", trusted);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (client != null) {
      char[] password = "test".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("client", client.key(), password, new X509Certificate[] {client.certificate()});
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, password);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    int colon = hostPort.lastIndexOf(':');
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
        .createSocket(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))) {
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.setSoTimeout(5000);
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static GeneralName generalName(String altName) {
    int colon = altName.indexOf(':');
    String kind = altName.substring(0, colon);
    String value = altName.substring(colon + 1);
    return switch (kind) {
      case "URI" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
      case "DNS" -> new GeneralName(GeneralName.dNSName, value);
      case "IP" -> new GeneralName(GeneralName.iPAddress, value);
      default -> throw new IllegalArgumentException("unknown alt name kind: " + altName);
    };
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), subject,
        keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey) {
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey);
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static KeyPair newKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] encoded(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void writeAtomically(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
