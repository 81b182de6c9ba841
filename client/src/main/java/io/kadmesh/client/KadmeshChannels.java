package io.kadmesh.client;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kadmesh.tls.TlsCredentials;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import io.kadmesh.tls.TlsFileException;
import io.kadmesh.tls.TlsFiles;
import java.util.Objects;

/**
 * The one place where channels to a node are opened: plaintext, or TLS with the CA to trust and
 * the client's own certificate from PEM files (read and checked here, so that a missing file or a
 * key of another certificate fails with a {@link TlsFileException} naming it, before any call).
 * A client's certificate is read once; a long-lived application reconnects to take a renewed one.
 */
public final class KadmeshChannels {
  private KadmeshChannels() {}

  /** A plaintext channel to HOST:PORT. */
  public static ManagedChannel plaintext(String target) {
    return Grpc.newChannelBuilder(Objects.requireNonNull(target, "target"), InsecureChannelCredentials.create())
        .build();
  }

  /**
   * A TLS channel to HOST:PORT. {@code check} HOST_NAME for an API port (its certificate must name
   * the host dialled, as for any TLS server); CHAIN_ONLY for a peer port, whose certificate names a
   * node rather than a host.
   */
  public static ManagedChannel tls(String target, TlsFiles files, HostCheck check) {
    ChannelCredentials credentials = TlsCredentials.load(files, check).channelCredentials();
    return Grpc.newChannelBuilder(Objects.requireNonNull(target, "target"), credentials).build();
  }
}
