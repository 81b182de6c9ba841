package io.kadmesh.it.adversary;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.testing.GrpcMesh;
import io.kadmesh.testing.GrpcTransport;
import io.kadmesh.testing.WriteAck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where an attack is played: a small mesh of real nodes over Netty on 127.0.0.1 (ephemeral ports,
 * one JVM, so that the test can look into each node) and the hostile peers facing it, all closed
 * after each test.
 */
final class Arena implements AfterEachCallback {
  /** How long a node may take to admit (ping back) a peer that introduced itself. */
  static final Duration ADMISSION = Duration.ofSeconds(10);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private GrpcMesh mesh;

  /** {@code size} nodes joined with {@code config}; seed 11, so the same node IDs every run. */
  GrpcMesh start(int size, NodeConfig config) {
    return start(GrpcMesh.builder().size(size).config(config));
  }

  /** The mesh {@code builder} describes, over Netty, seed 11. */
  GrpcMesh start(GrpcMesh.Builder builder) {
    mesh = builder.transport(GrpcTransport.NETTY).seed(11).start();
    resources.push(mesh);
    return mesh;
  }

  /**
   * Waits until every node's table holds every other node: a write right after the start may
   * otherwise miss a node that its writer has not heard of yet, and nothing repairs that soon.
   */
  void awaitFullTables() {
    mesh.awaitUntil(() -> mesh.running().stream().allMatch(i -> mesh.running().stream()
        .allMatch(j -> i.equals(j) || mesh.node(i).routingTable().find(mesh.node(j).self().id()) != null)),
        ADMISSION);
  }

  GrpcMesh mesh() {
    return mesh;
  }

  /** A hostile peer of the mesh's network, not serving yet. */
  HostilePeer hostile(NodeId id) {
    HostilePeer peer = new HostilePeer(id, mesh.config().network());
    resources.push(peer);
    return peer;
  }

  /** A hostile peer serving on a port of its own, introduced to every node and admitted by each. */
  HostilePeer admittedHostile(NodeId id) {
    HostilePeer peer = hostile(id).serve();
    for (int i = 0; i < mesh.size(); i++) {
      peer.introduceTo(peer(i));
    }
    for (int i = 0; i < mesh.size(); i++) {
      int node = i;
      mesh.awaitUntil(() -> mesh.node(node).routingTable().find(id) != null, ADMISSION);
    }
    return peer;
  }

  <T extends AutoCloseable> T register(T resource) {
    resources.push(resource);
    return resource;
  }

  /** Every node of the mesh holds {@code write} of {@code key} (or a newer version). */
  void assertEveryNodeHolds(String key, WriteAck write) {
    NodeId id = mesh.node(0).keyOf(key);
    assertThat(mesh.running()).as("nodes holding %s", key).allMatch(i -> mesh.holds(i, id, write.version()));
  }

  /**
   * Node {@code i} answers a Ping from a peer it has not seen: whatever was refused before cost
   * it nothing that others need.
   */
  void assertServes(int i) {
    HostilePeer other = hostile(NodeId.random(new Random(i)));
    assertThat(other.kademlia(peer(i))
        .ping(PingRequest.newBuilder().setHeader(other.anonymousHeader()).build())
        .getHeader().getResponder().getNodeId())
        .as("responder of a ping to node %d", i)
        .isEqualTo(HostilePeer.bytes(mesh.node(i).self().id()));
  }

  String peer(int i) {
    return mesh.server(i).addresses().peer();
  }

  String api(int i) {
    return mesh.server(i).addresses().api();
  }

  /** A port on 127.0.0.1 that was bound a moment ago and is closed now: nobody answers there. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code count} addresses nobody answers at, each on a host of its own in 127.0.0.0/8 (which
   * Linux routes to loopback), so that a node that dials them opens one channel per address.
   */
  static List<String> deadAddresses(int count) {
    int port = closedPort();
    List<String> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add("127.1." + (i / 250) + "." + (1 + i % 250) + ":" + port);
    }
    return out;
  }

  /** The status {@code call} failed with; fails the test if it succeeded. */
  static Status refusal(Runnable call) {
    try {
      call.run();
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
    throw new AssertionError("the call was not refused");
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (first == null) first = e; else first.addSuppressed(e);
      }
    }
    if (first != null) throw first;
  }
}
