package io.kadmesh.cli.bench;

import io.grpc.ManagedChannel;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.server.grpc.HostPort;
import io.kadmesh.server.grpc.KadmeshServer;
import io.kadmesh.server.grpc.NettyEndpoints;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * N production nodes in this JVM, real gRPC over Netty on 127.0.0.1 ephemeral ports, in-memory
 * stores, each with a {@link KadmeshClient} on its API port as an application beside it would
 * have. Node 0 runs alone; each later node joins through a random earlier one, one at a time.
 * Peer channels are those of {@link NettyEndpoints#peerChannels()} plus a counting interceptor.
 */
final class LoopbackMesh implements AutoCloseable {
  private static final Duration JOIN_LIMIT = Duration.ofSeconds(20);
  private static final Duration SETTLE_POLL = Duration.ofMillis(250);
  /** Routing tables unchanged for this many polls in a row: settled. */
  private static final int STABLE_POLLS = 4;

  private final List<KadmeshServer> nodes = new ArrayList<>();
  private final List<KadmeshClient> clients = new ArrayList<>();

  private LoopbackMesh() {}

  static LoopbackMesh start(int size, NodeConfig config, Random random, PeerCallCounter counter)
      throws IOException, InterruptedException {
    LoopbackMesh mesh = new LoopbackMesh();
    try {
      for (int i = 0; i < size; i++) {
        List<String> bootstrap = i == 0 ? List.of()
            : List.of(mesh.nodes.get(random.nextInt(i)).addresses().advertised());
        AtomicReference<String> self = new AtomicReference<>("?");
        KadmeshServer server = KadmeshServer.builder()
            .config(config)
            .nodeId(NodeId.random(random))
            .random(new Random(random.nextLong()))
            .peerServer(NettyEndpoints.server(HostPort.parse("127.0.0.1:0"), true), "127.0.0.1:0")
            .apiServer(NettyEndpoints.server(HostPort.parse("127.0.0.1:0"), true), "127.0.0.1:0")
            .channelFactory(countedPeerChannels(counter, self))
            .bootstrap(bootstrap)
            .build();
        mesh.nodes.add(server);
        server.start();
        self.set(server.addresses().advertised());
        mesh.clients.add(KadmeshClient.connect(server.addresses().api()));
        awaitJoined(server, i);
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      mesh.close();
      throw e;
    }
    return mesh;
  }

  /**
   * Waits until every node joined and no routing table changed for a second; answers the
   * contacts held in all, or fails after {@code limit}.
   */
  long awaitSettled(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    long last = -1;
    int stable = 0;
    while (System.nanoTime() < deadline) {
      long total = 0;
      boolean allJoined = true;
      for (KadmeshServer n : nodes) {
        allJoined &= n.node().isJoined();
        total += n.node().contacts().size();
      }
      stable = allJoined && total == last ? stable + 1 : 0;
      if (stable >= STABLE_POLLS) return total;
      last = total;
      Thread.sleep(SETTLE_POLL.toMillis());
    }
    throw new IllegalStateException("the mesh did not settle within " + limit);
  }

  int size() {
    return nodes.size();
  }

  KadmeshServer node(int i) {
    return nodes.get(i);
  }

  KadmeshClient client(int i) {
    return clients.get(i);
  }

  @Override
  public void close() {
    clients.forEach(KadmeshClient::close);
    // The whole mesh goes at once: a graceful hand-off to nodes stopping too would only cost time.
    nodes.forEach(KadmeshServer::crash);
  }

  private static void awaitJoined(KadmeshServer server, int index) throws InterruptedException {
    long deadline = System.nanoTime() + JOIN_LIMIT.toNanos();
    while (index > 0 && !server.node().isJoined()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node " + index + " did not join within " + JOIN_LIMIT);
      }
      Thread.sleep(1);
    }
  }

  private static Function<String, ManagedChannel> countedPeerChannels(PeerCallCounter counter,
      AtomicReference<String> self) {
    return address -> NettyEndpoints.peerChannel(address, true)
        .intercept(counter.interceptor(self::get, address))
        .build();
  }
}
