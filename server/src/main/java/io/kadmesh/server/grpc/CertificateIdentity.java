package io.kadmesh.server.grpc;

import io.kadmesh.core.NodeId;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * Binds a node ID to a certificate under mutual TLS: the ID is SHA-256 of the certificate's
 * identity name (UTF-8), which is its first URI alternative name, else its first DNS alternative
 * name, else its subject's CN. A reissued certificate keeps its name and so the node's ID; the CA
 * decides who holds which name, so no peer can choose an ID next to a key it wants to hide.
 */
public final class CertificateIdentity {
  private static final int DNS_NAME = 2;
  private static final int URI_NAME = 6;

  private CertificateIdentity() {}

  /** The certificate's identity name, or empty when it has no URI or DNS name and no CN. */
  public static Optional<String> name(X509Certificate certificate) {
    Optional<String> uri = altName(certificate, URI_NAME);
    if (uri.isPresent()) {
      return uri;
    }
    Optional<String> dns = altName(certificate, DNS_NAME);
    return dns.isPresent() ? dns : commonName(certificate.getSubjectX500Principal());
  }

  /** The node ID the certificate names; IllegalArgumentException when it names none. */
  public static NodeId nodeId(X509Certificate certificate) {
    return NodeId.ofKey(name(certificate).orElseThrow(() -> new IllegalArgumentException(
        "the certificate of " + certificate.getSubjectX500Principal().getName()
            + " names no node: it needs a URI or DNS subject alternative name, or a CN")));
  }

  /**
   * The ID named by the certificate the other side of a TLS session presented; empty for a
   * session without one (no TLS, or a client the server did not ask for a certificate).
   */
  static Optional<NodeId> ofPeer(SSLSession session) {
    if (session == null) {
      return Optional.empty();
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
    return chain.length > 0 && chain[0] instanceof X509Certificate leaf
        ? Optional.of(nodeId(leaf))
        : Optional.empty();
  }

  private static Optional<String> altName(X509Certificate certificate, int kind) {
    Collection<List<?>> names;
    try {
      names = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      return Optional.empty();
    }
    if (names == null) {
      return Optional.empty();
    }
    return names.stream()
        .filter(n -> n.size() >= 2 && Integer.valueOf(kind).equals(n.get(0)) && n.get(1) instanceof String)
        .map(n -> (String) n.get(1))
        .findFirst();
  }

  private static Optional<String> commonName(X500Principal subject) {
    try {
      List<Rdn> rdns = new LdapName(subject.getName(X500Principal.RFC2253)).getRdns();
      // LdapName lists the most specific part last.
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
          return Optional.of(rdns.get(i).getValue().toString());
        }
      }
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
