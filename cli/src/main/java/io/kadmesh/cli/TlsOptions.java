package io.kadmesh.cli;

import io.kadmesh.tls.TlsFiles;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --tls-ca}, {@code --tls-cert}, {@code --tls-key}: TLS to the node a command calls, with
 * the CA that signed its certificate and, for a port that requires one, the client's certificate.
 * None given: plaintext.
 */
final class TlsOptions {
  @Spec(Spec.Target.MIXEE) private CommandSpec spec;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "Connect with TLS, trusting the CA certificates in this PEM file (env KADMESH_TLS_CA).")
  Path authority;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "This client's certificate chain (PEM), for a node that requires client "
          + "certificates; with --tls-key (env KADMESH_TLS_CERT).")
  Path certificate;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, unencrypted PKCS#8) (env KADMESH_TLS_KEY).")
  Path privateKey;

  /** The files given, or null for plaintext. */
  TlsFiles files() {
    if (authority == null && certificate == null && privateKey == null) {
      return null;
    }
    try {
      return new TlsFiles(certificate, privateKey, authority);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together: " + e.getMessage());
    }
  }
}
