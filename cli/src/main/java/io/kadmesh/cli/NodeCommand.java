package io.kadmesh.cli;

import io.kadmesh.cli.DurationConverter;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.storage.InMemoryRecordStore;
import io.kadmesh.core.storage.RecordStore;
import io.kadmesh.core.storage.RocksDbRecordStore;
import io.kadmesh.server.DataDirectory;
import io.kadmesh.server.DnsAddressResolver;
import io.kadmesh.server.HostPort;
import io.kadmesh.server.grpc.CallExecutor;
import io.kadmesh.server.grpc.KadmeshServer;
import io.kadmesh.server.grpc.NettyEndpoints;
import io.kadmesh.server.grpc.NodeTls;
import io.kadmesh.server.metrics.AdminServer;
import io.kadmesh.tls.TlsFiles;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `kadmesh node`: parses the node's flags into a {@link NodeConfig} and runs a node until SIGTERM. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
        "Runs a kadmesh node: the Kademlia peer port and the application API port.",
        "Every flag also reads the environment variable KADMESH_<FLAG>, e.g. KADMESH_BOOTSTRAP."})
public final class NodeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(NodeCommand.class);
  private static final NodeConfig DEFAULTS = NodeConfig.defaults();
  /** Where in the data directory the records live (a RocksDB database). */
  static final String RECORDS_DIR = "records";

  @Spec CommandSpec spec;

  @Mixin LoggingOptions logging = new LoggingOptions();

  @Option(names = "--peer-address", paramLabel = "HOST:PORT", defaultValue = Defaults.PEER_ADDRESS,
      description = "Address the peer port (Kademlia) binds. Default: ${DEFAULT-VALUE}.")
  String peerAddress;

  @Option(names = "--api-address", paramLabel = "HOST:PORT", defaultValue = Defaults.API_ADDRESS,
      description = "Address the application port (Dht) binds; loopback keeps it private to this "
          + "machine. Default: ${DEFAULT-VALUE}.")
  String apiAddress;

  @Option(names = "--admin-address", paramLabel = "HOST:PORT|off", defaultValue = Defaults.ADMIN_ADDRESS,
      description = "Address the admin HTTP port binds: /metrics in the Prometheus text format, and a dashboard page at /. "
          + "'off' serves none. Default: ${DEFAULT-VALUE}.")
  String adminAddress;

  @Option(names = "--metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Record metrics (calls, peer requests, lookups, gauges) for /metrics. "
          + "--no-metrics records none and so serves no admin port: it cannot go with an "
          + "--admin-address other than off. Default: on.")
  boolean metrics = true;

  @Option(names = "--advertise-address", paramLabel = "HOST:PORT",
      description = "Peer address other nodes are told to dial. Default: the peer address, or this "
          + "host's address when the peer address is a wildcard.")
  String advertiseAddress;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT", split = ",",
      description = "Peer addresses of nodes to join through, comma-separated; kept in the data "
          + "directory and used again when a later start gives none. None given, none kept and no "
          + "saved contacts: run alone until others join this node.")
  List<String> bootstrap = new ArrayList<>();

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Directory that keeps the node's ID, its records (RocksDB, in records/) and the "
          + "contacts it knew (contacts), its Ed25519 key (node-key.pem) and the endpoints it "
          + "announces (announcements) across restarts and crashes; locked against a second node. "
          + "Default: ~/.kadmesh/<network>-<peer port>.")
  Path dataDir;

  @Option(names = "--in-memory",
      description = "Keep nothing on disk: records in memory, lost on exit, and a new node ID every "
          + "start. --data-dir is then ignored.")
  boolean inMemory;

  @Option(names = "--sync-writes",
      description = "Fsync the record store's write-ahead log on every write, so that acknowledged "
          + "records survive a power loss too, not only a crash of the process. Slower. Default: off.")
  boolean syncWrites;

  @Option(names = "--max-queued-calls",
      description = "With --sync-writes: calls the node holds at once, running or waiting for one "
          + "of its call threads; one more is refused RESOURCE_EXHAUSTED. Default: ${DEFAULT-VALUE}.")
  int maxQueuedCalls = DEFAULTS.maxQueuedCalls();

  @Option(names = "--max-service-entries",
      description = "Endpoint entries this node holds for one service at most (withdrawn ones "
          + "included); a new one beyond is refused RESOURCE_EXHAUSTED. Default: ${DEFAULT-VALUE}.")
  int maxServiceEntries = DEFAULTS.maxServiceEntries();

  @Option(names = "--max-entries-per-announcer",
      description = "Endpoint entries one announcer key may hold for one service on this node at "
          + "most; a new one beyond is refused RESOURCE_EXHAUSTED. Default: ${DEFAULT-VALUE}.")
  int maxEntriesPerAnnouncer = DEFAULTS.maxEntriesPerAnnouncer();

  @Option(names = "--snapshot-interval", paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      description = "How soon after the routing table changes its contacts are saved to the data "
          + "directory (at most once per interval, and on shutdown); a restarted node rejoins "
          + "through them. Default: 1s.")
  Duration snapshotInterval = DEFAULTS.contactSaveDelay();

  @Option(names = "--write-quorum",
      description = "Replicas that must keep a put or delete before it is acknowledged; fewer fail "
          + "UNAVAILABLE (ABORTED when replicas hold a newer version). A node started alone (no bootstrap, none saved) needs only its own copy "
          + "until another node joins. At most --k. Default: ${DEFAULT-VALUE}.")
  int writeQuorum = DEFAULTS.writeQuorum();

  @Option(names = "--max-rejoin-backoff", paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      description = "Longest pause between attempts to reach lost contacts, saved contacts and "
          + "bootstrap addresses while the node is cut off or has lost contacts. Default: 10s.")
  Duration maxRejoinBackoff = DEFAULTS.maxRejoinBackoff();

  @Option(names = "--network", defaultValue = Defaults.NETWORK,
      description = "Network name; nodes refuse peers of another network. Default: ${DEFAULT-VALUE}.")
  String network;

  @Option(names = "--node-id", paramLabel = "HEX",
      description = "This node's 256-bit ID as 64 hex digits. Default: random, then kept in the data dir.")
  String nodeId;

  @Option(names = "--k", description = "Bucket size and replication factor. Default: ${DEFAULT-VALUE}.")
  int k = DEFAULTS.k();

  @Option(names = "--alpha", description = "Requests a lookup keeps in flight. Default: ${DEFAULT-VALUE}.")
  int alpha = DEFAULTS.alpha();

  @Option(names = "--rpc-timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
      description = "Deadline of one peer request. Default: 2s.")
  Duration rpcTimeout = DEFAULTS.rpcTimeout();

  @Option(names = "--operation-timeout", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
      description = "Deadline of a put/get/delete when the caller sets none. Default: 10s.")
  Duration operationTimeout = DEFAULTS.operationTimeout();

  @Option(names = "--refresh-interval", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
      description = "Refresh a k-bucket no lookup touched for this long. Default: 1h.")
  Duration refreshInterval = DEFAULTS.bucketRefreshInterval();

  @Option(names = "--republish-interval", paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      description = "How often each record held is stored again on the k closest nodes (paper 2.5); "
          + "at least 1s. Default: 1h.")
  Duration republishInterval = DEFAULTS.republishInterval();

  @Option(names = "--contact-freshness", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "A contact heard from within this long counts as alive: a full bucket does not "
          + "ping it for a newcomer; 0s pings every time, as the paper does. Default: 5m.")
  Duration contactFreshness = DEFAULTS.contactFreshness();

  @Option(names = "--get-quorum",
      description = "Replicas whose records a get compares before answering. Default: ${DEFAULT-VALUE}.")
  int getQuorum = DEFAULTS.getQuorum();

  @Option(names = "--max-key-bytes", description = "Longest key in UTF-8 bytes. Default: ${DEFAULT-VALUE}.")
  int maxKeyBytes = DEFAULTS.maxKeyBytes();

  @Option(names = "--max-value-bytes", description = "Largest value in bytes. Default: ${DEFAULT-VALUE}.")
  int maxValueBytes = DEFAULTS.maxValueBytes();

  @Option(names = "--default-ttl", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
      description = "Lifetime of a record whose writer gives none. Default: 24h.")
  Duration defaultTtl = DEFAULTS.defaultTtl();

  @Option(names = "--max-ttl", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
      description = "Longest lifetime a writer may ask for. Default: 7d.")
  Duration maxTtl = DEFAULTS.maxTtl();

  @Option(names = "--max-records", description = "Records this node holds at most. Default: ${DEFAULT-VALUE}.")
  long maxRecords = DEFAULTS.maxRecords();

  @Option(names = "--max-stored-bytes", description = "Bytes this node holds at most. Default: ${DEFAULT-VALUE}.")
  long maxStoredBytes = DEFAULTS.maxStoredBytes();

  @Option(names = "--max-clock-skew", paramLabel = "DURATION", converter = DurationConverter.Positive.class,
      description = "How far ahead of this node's clock a record's version may be; records further "
          + "ahead (a forged version, or a writer whose clock runs fast) are refused. Default: 1m.")
  Duration maxClockSkew = DEFAULTS.maxClockSkew();

  @Option(names = "--subnet-bucket-limit",
      description = "Contacts from one IPv4 /24 or IPv6 /48 a k-bucket holds at most. Default: ${DEFAULT-VALUE}.")
  int subnetBucketLimit = DEFAULTS.subnetBucketLimit();

  @Option(names = "--subnet-table-limit",
      description = "Contacts from one IPv4 /24 or IPv6 /48 the routing table holds at most. "
          + "Default: ${DEFAULT-VALUE}.")
  int subnetTableLimit = DEFAULTS.subnetTableLimit();

  @Option(names = "--exempt-loopback", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Exempt peers on loopback addresses from the per-address limits (subnets, "
          + "connections per address), so that local meshes work; --no-exempt-loopback applies "
          + "them on loopback too. Default: exempt.")
  boolean exemptLoopback = DEFAULTS.exemptLoopback();

  @Option(names = "--exempt-private", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Exempt peers at private-network addresses (10/8, 172.16/12, 192.168/16, "
          + "100.64/10, fc00::/7, link-local) from the subnet limits: a cluster puts many nodes in "
          + "one /24. --no-exempt-private applies them there too (a DHT open to strangers on a "
          + "shared private network). Default: exempt.")
  boolean exemptPrivate = DEFAULTS.exemptPrivate();

  @Option(names = "--max-records-per-peer",
      description = "Records one sender may place on this node at most. Default: ${DEFAULT-VALUE}.")
  long maxRecordsPerPeer = DEFAULTS.maxRecordsPerPeer();

  @Option(names = "--max-bytes-per-peer",
      description = "Bytes one sender may place on this node at most. Default: ${DEFAULT-VALUE}.")
  long maxBytesPerPeer = DEFAULTS.maxBytesPerPeer();

  @Option(names = "--peer-rate-limit",
      description = "Requests per second one remote peer may send to the peer port, in bursts of "
          + "twice that; 0 turns it off. Default: ${DEFAULT-VALUE}.")
  int peerRateLimit = DEFAULTS.peerRateLimit();

  @Option(names = "--max-calls-per-connection",
      description = "Concurrent calls one connection may have open on either port. Default: ${DEFAULT-VALUE}.")
  int maxCallsPerConnection = DEFAULTS.maxCallsPerConnection();

  @Option(names = "--max-connections-per-address",
      description = "Connections one remote address may hold open to either port. Default: ${DEFAULT-VALUE}.")
  int maxConnectionsPerAddress = DEFAULTS.maxConnectionsPerAddress();

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "The peer port's certificate chain (PEM): the port serves TLS and dials peers "
          + "with it, and the node's ID becomes SHA-256 of the certificate's first URI name, else "
          + "first DNS name, else CN. Default: plaintext.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, unencrypted PKCS#8).")
  Path tlsKey;

  @Option(names = "--tls-ca", paramLabel = "FILE",
      description = "CA certificates (PEM) that must sign every peer's certificate, in both "
          + "directions (mutual TLS). Without it, peers' certificates are checked against the "
          + "system's CAs and callers need none.")
  Path tlsCa;

  @Option(names = "--api-tls-cert", paramLabel = "FILE",
      description = "The API port's certificate chain (PEM): the port serves TLS. Default: plaintext.")
  Path apiTlsCert;

  @Option(names = "--api-tls-key", paramLabel = "FILE",
      description = "The private key of --api-tls-cert (PEM, unencrypted PKCS#8).")
  Path apiTlsKey;

  @Option(names = "--api-tls-ca", paramLabel = "FILE",
      description = "CA certificates (PEM) that must sign the certificate of every client of the API port.")
  Path apiTlsCa;

  @Option(names = "--tls-reload-interval", paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      description = "How often the TLS files of both ports are read again; changed ones are used "
          + "by new connections without a restart. Default: 1m.")
  Duration tlsReloadInterval = NodeTls.Config.DEFAULT_RELOAD_INTERVAL;

  @Override
  public Integer call() throws Exception {
    logging.apply();
    NodeConfig config = config();
    NodeTls tls = NodeTls.load(tlsConfig());
    HostPort peer = address("--peer-address", peerAddress);
    HostPort api = address("--api-address", apiAddress);
    // Without metrics there is nothing to serve: the default admin address is dropped, one given is refused.
    if (!metrics && !AdminServer.isOff(adminAddress)
        && spec.commandLine().getParseResult().hasMatchedOption("--admin-address")) {
      throw new ParameterException(spec.commandLine(), "--no-metrics serves no admin port: "
          + "--admin-address " + adminAddress + " needs metrics (drop it or give off)");
    }
    String admin = !metrics || AdminServer.isOff(adminAddress) ? AdminServer.OFF
        : address("--admin-address", adminAddress).toString();
    String advertised = advertised(peer);
    List<String> bootstrapAddresses = new ArrayList<>();
    for (String b : bootstrap) {
      if (!b.isBlank()) {
        bootstrapAddresses.add(address("--bootstrap", b.strip()).toString());
      }
    }
    Optional<NodeId> configuredId = parseNodeId();

    Optional<NodeId> certifiedId = tls.nodeId();
    if (certifiedId.isPresent() && configuredId.isPresent() && !configuredId.equals(certifiedId)) {
      throw new ParameterException(spec.commandLine(), "--node-id " + configuredId.get().toHex()
          + " differs from the ID " + certifiedId.get().toHex() + " that --tls-cert names");
    }
    SecureRandom random = new SecureRandom();
    DataDirectory dir = null;
    NodeId id;
    if (inMemory) {
      id = certifiedId.or(() -> configuredId).orElseGet(() -> NodeId.random(random));
    } else {
      Path path = dataDir != null ? dataDir
          : Path.of(System.getProperty("user.home"), ".kadmesh", network + "-" + peer.port());
      dir = DataDirectory.open(path);
      if (certifiedId.isPresent()) {
        id = certifiedId.get();
        Optional<NodeId> replaced = dir.adoptNodeId(id);
        if (replaced.isPresent()) {
          log.info("node ID {} kept in {} is replaced by {}, the ID --tls-cert names", replaced.get().toHex(),
              dir.path(), id.toHex());
        }
      } else {
        id = dir.nodeId(configuredId, random);
      }
    }

    // The key that signs the endpoints it announces: made on first start, kept in the directory.
    KeyPair nodeKey = null;
    if (dir != null) {
      try {
        nodeKey = dir.nodeKey();
      } catch (IOException e) {
        closeQuietly(dir);
        throw new IOException("the node's key in " + dir.path() + ": " + e.getMessage(), e);
      }
    }

    RecordStore store;
    try {
      store = dir == null
          ? new InMemoryRecordStore(config.maxRecords(), config.maxStoredBytes())
          : RocksDbRecordStore.open(dir.path().resolve(RECORDS_DIR), config.maxRecords(),
              config.maxStoredBytes(), syncWrites);
    } catch (IOException | RuntimeException e) {
      closeQuietly(dir);
      throw e;
    }

    // An fsync per write must not run on an event loop (see NettyEndpoints).
    boolean direct = !syncWrites;
    KadmeshServer.Builder builder = KadmeshServer.builder()
        .config(config)
        .nodeId(id)
        .peerServer(NettyEndpoints.server(peer, direct, tls.peerServer()), peer.toString())
        .apiServer(NettyEndpoints.server(api, direct, tls.apiServer()), api.toString())
        .advertiseAddress(advertised)
        .channelFactory(NettyEndpoints.peerChannels(direct, config, tls.peerChannels()))
        .bootstrap(bootstrapAddresses)
        // A bootstrap name standing for many nodes (a headless service) is joined through each.
        .addressResolver(new DnsAddressResolver())
        .adminAddress(admin)
        .slowOperation(logging.slowOperation)
        // This process runs this one node: its JVM's figures are the node's.
        .jvmMetrics(true)
        .metrics(metrics)
        .store(store);
    if (!direct) {
      builder.callExecutor(CallExecutor.create(config.maxQueuedCalls()));
    }
    if (dir != null) {
      builder.dataDirectory(dir.path()).contactStore(dir.contactStore())
          // Its announcements, like its key, outlive a restart.
          .nodeKey(nodeKey)
          .announcementStore(dir.announcementStore());
    }
    KadmeshServer server = builder.build();
    DataDirectory heldDir = dir;
    // Before start: a SIGTERM that comes as soon as the node listens must still close it cleanly
    // (close waits for a start under way).
    Thread shutdown = new Thread(() -> {
      log.info("shutting down");
      server.close();
      tls.close();
      closeQuietly(heldDir);
    }, "kadmesh-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    try {
      server.start();
    } catch (IOException e) {
      Runtime.getRuntime().removeShutdownHook(shutdown);
      server.close();
      closeQuietly(dir);
      throw new IOException("could not bind " + peer + " / " + api
          + (AdminServer.isOff(admin) ? "" : " / " + admin) + ": " + rootMessage(e), e);
    }
    tls.startReloading();
    server.blockUntilShutdown();
    return 0;
  }

  private NodeConfig config() {
    try {
      return NodeConfig.builder()
          .network(network)
          .k(k)
          .alpha(alpha)
          .rpcTimeout(rpcTimeout)
          .operationTimeout(operationTimeout)
          .bucketRefreshInterval(refreshInterval)
          .republishInterval(republishInterval)
          .contactFreshness(contactFreshness)
          .writeQuorum(writeQuorum)
          .maxRejoinBackoff(maxRejoinBackoff)
          .contactSaveDelay(snapshotInterval)
          .getQuorum(getQuorum)
          .maxKeyBytes(maxKeyBytes)
          .maxValueBytes(maxValueBytes)
          .defaultTtl(defaultTtl)
          .maxTtl(maxTtl)
          .maxRecords(maxRecords)
          .maxStoredBytes(maxStoredBytes)
          .maxClockSkew(maxClockSkew)
          .subnetBucketLimit(subnetBucketLimit)
          .subnetTableLimit(subnetTableLimit)
          .exemptLoopback(exemptLoopback)
          .exemptPrivate(exemptPrivate)
          .maxRecordsPerPeer(maxRecordsPerPeer)
          .maxBytesPerPeer(maxBytesPerPeer)
          .peerRateLimit(peerRateLimit)
          .maxCallsPerConnection(maxCallsPerConnection)
          .maxConnectionsPerAddress(maxConnectionsPerAddress)
          .maxQueuedCalls(maxQueuedCalls)
          .maxServiceEntries(maxServiceEntries)
          .maxEntriesPerAnnouncer(maxEntriesPerAnnouncer)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private NodeTls.Config tlsConfig() {
    try {
      return new NodeTls.Config(tlsFiles("--tls", tlsCert, tlsKey, tlsCa),
          tlsFiles("--api-tls", apiTlsCert, apiTlsKey, apiTlsCa), tlsReloadInterval);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** One port's TLS files, or null when none of its flags is given. */
  private TlsFiles tlsFiles(String prefix, Path cert, Path key, Path ca) {
    if (cert == null && key == null && ca == null) {
      return null;
    }
    if ((cert == null) != (key == null)) {
      throw new ParameterException(spec.commandLine(), prefix + "-cert and " + prefix + "-key go together");
    }
    return new TlsFiles(cert, key, ca);
  }

  private HostPort address(String flag, String value) {
    try {
      return HostPort.parse(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
    }
  }

  private String advertised(HostPort peer) throws UnknownHostException {
    if (advertiseAddress != null) {
      HostPort a = address("--advertise-address", advertiseAddress);
      if (a.isWildcard()) {
        throw new ParameterException(spec.commandLine(),
            "--advertise-address must be an address peers can dial, not " + a);
      }
      return a.toString();
    }
    if (!peer.isWildcard()) {
      return peer.toString();
    }
    // Port 0 stands for the port the peer server binds.
    return new HostPort(InetAddress.getLocalHost().getHostAddress(), peer.port()).toString();
  }

  private Optional<NodeId> parseNodeId() {
    if (nodeId == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(NodeId.fromHex(nodeId));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "--node-id must be 64 hex digits (32 bytes), got '" + nodeId + "'");
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      log.warn("closing {} failed", c, e);
    }
  }
}
