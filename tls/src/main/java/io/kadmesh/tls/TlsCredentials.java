package io.kadmesh.tls;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One side's TLS material from its {@link TlsFiles}, as gRPC credentials whose certificate and
 * trusted CAs can be replaced in place: {@link #reload()} reads the files again and, when they
 * changed and are valid, swaps them into the same key and trust managers, so that connections made
 * after it use the new ones (connections already open keep theirs). Invalid new files are refused
 * and the old material stays. grpc-java's own file reloading is not used: it waits at least a
 * minute between reads and cannot refuse a certificate that names another identity.
 */
public final class TlsCredentials {

  /** What is checked of the other side's certificate beyond its chain to a trusted CA. */
  public enum HostCheck {
    /** Its names must include the host dialled, as any TLS client checks (API clients). */
    HOST_NAME,
    /**
     * The chain only. Peers dial each other by IP address, and a peer's identity is bound by its
     * node ID instead, which the node checks on every answer.
     */
    CHAIN_ONLY
  }

  private final TlsFiles files;
  private final Consumer<X509Certificate> identityCheck;
  private final AdvancedTlsX509KeyManager keyManager;
  private final AdvancedTlsX509TrustManager trustManager;
  // What the managers hold now, as read; guarded by this.
  private byte[] certificateBytes = new byte[0];
  private byte[] keyBytes = new byte[0];
  private byte[] authorityBytes = new byte[0];
  private volatile X509Certificate certificate;

  private TlsCredentials(TlsFiles files, HostCheck check, Consumer<X509Certificate> identityCheck) {
    this.files = files;
    this.identityCheck = identityCheck;
    this.keyManager = files.hasIdentity() ? new AdvancedTlsX509KeyManager() : null;
    try {
      this.trustManager = AdvancedTlsX509TrustManager.newBuilder()
          .setVerification(check == HostCheck.HOST_NAME
              ? Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION
              : Verification.CERTIFICATE_ONLY_VERIFICATION)
          .build();
      if (files.authority() == null) {
        trustManager.useSystemDefaultTrustCerts();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK's default trust manager is missing", e);
    }
  }

  /**
   * Reads and checks the files now. {@code identityCheck} sees every leaf certificate before it is
   * used, this first one included, and refuses one by throwing {@link TlsFileException}.
   */
  public static TlsCredentials load(TlsFiles files, HostCheck check,
      Consumer<X509Certificate> identityCheck) {
    TlsCredentials credentials = new TlsCredentials(Objects.requireNonNull(files, "files"),
        Objects.requireNonNull(check, "check"), Objects.requireNonNull(identityCheck, "identityCheck"));
    credentials.reload();
    return credentials;
  }

  /** {@link #load} without an identity check. */
  public static TlsCredentials load(TlsFiles files, HostCheck check) {
    return load(files, check, certificate -> {});
  }

  public TlsFiles files() {
    return files;
  }

  /** The leaf certificate presented now; null without one. */
  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * A server's credentials: its certificate, and with a CA, a client certificate it signed is
   * required (mutual TLS).
   */
  public ServerCredentials serverCredentials() {
    if (keyManager == null) {
      throw new IllegalStateException("a TLS server needs a certificate and its key");
    }
    TlsServerCredentials.Builder builder = TlsServerCredentials.newBuilder().keyManager(keyManager);
    if (files.authority() != null) {
      builder.trustManager(trustManager).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return builder.build();
  }

  /** A client's credentials: the CAs it trusts, and its certificate when it has one. */
  public ChannelCredentials channelCredentials() {
    TlsChannelCredentials.Builder builder = TlsChannelCredentials.newBuilder().trustManager(trustManager);
    if (keyManager != null) {
      builder.keyManager(keyManager);
    }
    return builder.build();
  }

  /**
   * Reads the files again and swaps in what changed; answers whether anything did. A file that
   * cannot be read or checked fails with {@link TlsFileException} and nothing is swapped: a
   * certificate written before its key mismatches until the key is written too, and is taken on a
   * later call.
   */
  public synchronized boolean reload() {
    byte[] newAuthority = files.authority() == null ? authorityBytes : PemFiles.read(files.authority());
    byte[] newCertificate = files.hasIdentity() ? PemFiles.read(files.certificate()) : certificateBytes;
    byte[] newKey = files.hasIdentity() ? PemFiles.read(files.privateKey()) : keyBytes;
    boolean authorityChanged = !Arrays.equals(newAuthority, authorityBytes);
    boolean identityChanged = !Arrays.equals(newCertificate, certificateBytes) || !Arrays.equals(newKey, keyBytes);

    X509Certificate[] trusted = authorityChanged ? PemFiles.certificates(files.authority(), newAuthority) : null;
    X509Certificate[] chain = null;
    PrivateKey key = null;
    if (identityChanged) {
      Path certificateFile = files.certificate();
      chain = PemFiles.certificates(certificateFile, newCertificate);
      key = PemFiles.privateKey(files.privateKey(), newKey);
      PemFiles.checkPair(certificateFile, chain, files.privateKey(), key);
      identityCheck.accept(chain[0]);
    }
    if (trusted != null) {
      try {
        trustManager.updateTrustCredentials(trusted);
      } catch (IOException | GeneralSecurityException e) {
        throw new TlsFileException(files.authority() + ": cannot be used as trusted CAs: " + e.getMessage(), e);
      }
      authorityBytes = newAuthority;
    }
    if (chain != null) {
      keyManager.updateIdentityCredentials(chain, key);
      certificate = chain[0];
      certificateBytes = newCertificate;
      keyBytes = newKey;
    }
    return authorityChanged || identityChanged;
  }
}
