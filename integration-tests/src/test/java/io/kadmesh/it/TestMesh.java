package io.kadmesh.it;

import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.server.grpc.KadmeshServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * N nodes in this JVM, each with a client on its API port; node 0 runs alone and every other node
 * joins through it. Closing the mesh stops every node still running.
 */
final class TestMesh implements AutoCloseable {
  private final MeshTransport transport;
  private final List<KadmeshServer> nodes = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<KadmeshClient> clients = new ArrayList<>();
  private final List<Boolean> running = new ArrayList<>();

  private TestMesh(MeshTransport transport) {
    this.transport = transport;
  }

  static TestMesh start(MeshTransport transport, int size, NodeConfig config, long seed)
      throws IOException {
    TestMesh mesh = new TestMesh(transport);
    Random random = new Random(seed);
    // A network of its own: nodes of another mesh on this machine (a port reused after a test,
    // a benchmark) are refused instead of merging into this one.
    config = config.toBuilder().network("it-" + UUID.randomUUID()).build();
    try {
      for (int i = 0; i < size; i++) {
        MeshTransport.Endpoint peer = transport.endpoint("peer" + i);
        MeshTransport.Endpoint api = transport.endpoint("api" + i);
        KadmeshServer server = KadmeshServer.builder()
            .config(config)
            .nodeId(NodeId.random(random))
            .random(new Random(random.nextLong()))
            .peerServer(peer.builder(), peer.address())
            .apiServer(api.builder(), api.address())
            .channelFactory(transport.peerChannels())
            .bootstrap(i == 0 ? List.of() : List.of(mesh.nodes.get(0).addresses().advertised()))
            .build()
            .start();
        ManagedChannel channel = transport.apiChannel(server.addresses().api());
        mesh.nodes.add(server);
        mesh.channels.add(channel);
        mesh.clients.add(KadmeshClient.over(channel));
        mesh.running.add(true);
        // Join one at a time, as an operator would roll nodes out.
        int index = i;
        await().atMost(Duration.ofSeconds(20)).until(() -> index == 0 || server.node().isJoined());
      }
    } catch (IOException | RuntimeException e) {
      mesh.close();
      throw e;
    }
    return mesh;
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

  boolean isRunning(int i) {
    return running.get(i);
  }

  /** Indexes of the nodes still running. */
  List<Integer> runningNodes() {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      if (running.get(i)) {
        out.add(i);
      }
    }
    return out;
  }

  /** Stops node {@code i} gracefully: it hands its records to the next closest nodes. */
  void stop(int i) {
    if (running.get(i)) {
      running.set(i, false);
      clients.get(i).close();
      channels.get(i).shutdownNow();
      nodes.get(i).close();
    }
  }

  /** Stops node {@code i} at once, as a crash would: no hand-off. */
  void crash(int i) {
    if (running.get(i)) {
      running.set(i, false);
      clients.get(i).close();
      channels.get(i).shutdownNow();
      nodes.get(i).crash();
    }
  }

  @Override
  public void close() {
    // The whole mesh goes: handing records off to nodes about to stop too would only cost time.
    for (int i = 0; i < nodes.size(); i++) {
      crash(i);
    }
    for (ManagedChannel c : channels) {
      try {
        c.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
