package io.kadmesh.server.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.kadmesh.core.NodeId;
import io.kadmesh.tls.TlsCredentials;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import io.kadmesh.tls.TlsFileException;
import io.kadmesh.tls.TlsFiles;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's TLS on its two ports: the credentials of the peer server and of its channels to peers
 * (one certificate for both, mutual when a CA is given), of the API server, and their reloading.
 * Under TLS on the peer port the node's ID is the one its certificate names
 * ({@link CertificateIdentity}); a reloaded certificate must name the same, or it is refused and
 * the one in use stays. A port without TLS files serves plaintext.
 */
public final class NodeTls implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeTls.class);

  /**
   * Which TLS files each port uses, and how often they are read again.
   *
   * @param peer the peer port's certificate, key and CA (with a CA, mutual TLS); null for plaintext
   * @param api the API port's; null for plaintext
   * @param reloadInterval how often the files are read again; changed files are used by new
   *     connections, open connections keep the certificates they were made with
   */
  public record Config(TlsFiles peer, TlsFiles api, Duration reloadInterval) {
    /** Files are read again once a minute unless the node says otherwise. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

    public Config {
      if (peer != null && !peer.hasIdentity()) {
        throw new IllegalArgumentException(
            "--tls-ca needs --tls-cert and --tls-key: a node that checks its peers must present a certificate too");
      }
      if (api != null && !api.hasIdentity()) {
        throw new IllegalArgumentException("--api-tls-ca needs --api-tls-cert and --api-tls-key");
      }
      Objects.requireNonNull(reloadInterval, "reloadInterval");
      if (reloadInterval.isNegative() || reloadInterval.isZero()) {
        throw new IllegalArgumentException("--tls-reload-interval must be positive, was " + reloadInterval);
      }
    }

    /** Plaintext on both ports. */
    public static Config plaintext() {
      return new Config(null, null, DEFAULT_RELOAD_INTERVAL);
    }
  }

  private final Config config;
  private final TlsCredentials peer;
  private final TlsCredentials api;
  private final NodeId nodeId;
  private ScheduledExecutorService reloader;
  // The refusal of each port's files last logged; guarded by this.
  private String lastPeerError;
  private String lastApiError;

  private NodeTls(Config config, TlsCredentials peer, TlsCredentials api, NodeId nodeId) {
    this.config = config;
    this.peer = peer;
    this.api = api;
    this.nodeId = nodeId;
  }

  /**
   * Reads and checks every file now; fails with {@link TlsFileException} naming a file that is
   * missing or wrong, or a peer certificate that names no node.
   */
  public static NodeTls load(Config config) {
    TlsCredentials peer = null;
    // The first certificate names the node; a reloaded one must name the same.
    AtomicReference<NodeId> own = new AtomicReference<>();
    if (config.peer() != null) {
      peer = TlsCredentials.load(config.peer(), HostCheck.CHAIN_ONLY, certificate -> {
        NodeId named = named(config.peer(), certificate);
        if (!own.compareAndSet(null, named) && !own.get().equals(named)) {
          throw new TlsFileException(config.peer().certificate() + " names node " + named.toHex()
              + " (" + CertificateIdentity.name(certificate).orElseThrow() + "), not this node, "
              + own.get().toHex() + ": a node keeps its ID for as long as it runs");
        }
      });
    }
    TlsCredentials api = config.api() == null ? null : TlsCredentials.load(config.api(), HostCheck.HOST_NAME);
    return new NodeTls(config, peer, api, own.get());
  }

  private static NodeId named(TlsFiles files, X509Certificate certificate) {
    try {
      return CertificateIdentity.nodeId(certificate);
    } catch (IllegalArgumentException e) {
      throw new TlsFileException(files.certificate() + ": " + e.getMessage(), e);
    }
  }

  /** The ID the peer certificate names; empty without TLS on the peer port. */
  public Optional<NodeId> nodeId() {
    return Optional.ofNullable(nodeId);
  }

  /** Whether the peer port requires peers to present a certificate signed by its CA. */
  public boolean mutualOnPeerPort() {
    return peer != null && config.peer().authority() != null;
  }

  public ServerCredentials peerServer() {
    return peer == null ? InsecureServerCredentials.create() : peer.serverCredentials();
  }

  public ChannelCredentials peerChannels() {
    return peer == null ? InsecureChannelCredentials.create() : peer.channelCredentials();
  }

  public ServerCredentials apiServer() {
    return api == null ? InsecureServerCredentials.create() : api.serverCredentials();
  }

  /** Reads the files again every {@link Config#reloadInterval}, on a thread of its own, until closed. */
  public synchronized void startReloading() {
    if (reloader != null || (peer == null && api == null)) {
      return;
    }
    reloader = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kadmesh-tls-reload");
      t.setDaemon(true);
      return t;
    });
    long millis = config.reloadInterval().toMillis();
    reloader.scheduleWithFixedDelay(this::reloadNow, millis, millis, TimeUnit.MILLISECONDS);
  }

  /** Reads every port's files again now and logs what changed, or once why new files were refused. */
  synchronized void reloadNow() {
    lastPeerError = reload("peer port", peer, lastPeerError);
    lastApiError = reload("API port", api, lastApiError);
  }

  /** Answers the refusal now standing, so that the same one is logged once, not every interval. */
  private static String reload(String port, TlsCredentials credentials, String lastError) {
    if (credentials == null) {
      return null;
    }
    try {
      if (credentials.reload()) {
        X509Certificate certificate = credentials.certificate();
        log.info("TLS files of the {} reloaded: certificate serial {} valid until {}", port,
            certificate.getSerialNumber().toString(16), certificate.getNotAfter().toInstant());
      }
      return null;
    } catch (RuntimeException e) {
      String error = String.valueOf(e.getMessage());
      if (!error.equals(lastError)) {
        log.error("TLS files of the {} not reloaded, the ones in use stay: {}", port, error);
      }
      return error;
    }
  }

  @Override
  public synchronized void close() {
    if (reloader != null) {
      reloader.shutdownNow();
    }
  }
}
