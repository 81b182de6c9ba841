package io.kadmesh.server.grpc;

import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts nodes, fake servers and channels over the in-process transport and closes all of them
 * after each test, last opened first (shutdown → awaitTermination → shutdownNow, as grpc-testing's
 * GrpcCleanupRule does).
 */
final class TestNodes implements AfterEachCallback {
  /** Every call a test makes carries a deadline, so that a wedged node fails the test, not the build. */
  static final long CALL_DEADLINE_SECONDS = 5;

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();

  /** A unique in-process name shaped like HOST:PORT, so that it passes address validation. */
  static String address(String role) {
    return "inproc-" + role + "-" + UUID.randomUUID() + ":1";
  }

  /** A lone node (no bootstrap), serving at once. */
  KadmeshServer start(NodeConfig config) {
    return start(config, b -> b);
  }

  /** A lone node whose builder {@code customize} adjusts (node ID, store, ...). */
  KadmeshServer start(NodeConfig config, UnaryOperator<KadmeshServer.Builder> customize) {
    String peer = address("peer");
    String api = address("api");
    KadmeshServer.Builder builder = KadmeshServer.builder()
        .peerServer(InProcessEndpoints.server(peer), peer)
        .apiServer(InProcessEndpoints.server(api), api)
        .channelFactory(InProcessEndpoints.peerChannels())
        .config(config);
    try {
      KadmeshServer server = customize.apply(builder).build();
      resources.push(server);
      return server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A plain in-process server at {@code address} serving {@code service} (a fake peer). */
  Server serve(String address, BindableService service) {
    try {
      Server server = InProcessServerBuilder.forName(address).addService(service).build().start();
      resources.push(() -> {
        server.shutdownNow();
        server.awaitTermination(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
      });
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A fake peer with ID {@code id} that answers pings at a fresh address (so that a node checking
   * a request's sender admits it), and FindNode with {@code closest}; answers its contact.
   */
  io.kadmesh.proto.v1.Contact answeringPeer(io.kadmesh.core.NodeId id,
      java.util.List<io.kadmesh.proto.v1.Contact> closest) {
    io.kadmesh.proto.v1.Contact self = PeerMessages.contact(id, address("peer"));
    serve(self.getAddress(), new PeerMessages.AnsweringPeer(self, closest));
    return self;
  }

  io.kadmesh.proto.v1.Contact answeringPeer(io.kadmesh.core.NodeId id) {
    return answeringPeer(id, java.util.List.of());
  }

  /** A channel to an in-process address, closed after the test. */
  ManagedChannel channel(String address) {
    return register(InProcessChannelBuilder.forName(address).build());
  }

  ManagedChannel register(ManagedChannel channel) {
    resources.push(() -> {
      channel.shutdown();
      if (!channel.awaitTermination(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    });
    return channel;
  }

  <T extends AutoCloseable> T register(T resource) {
    resources.push(resource);
    return resource;
  }

  /** The node's peer service, with a fresh deadline. */
  KademliaGrpc.KademliaBlockingStub kademlia(KadmeshServer node) {
    return KademliaGrpc.newBlockingStub(channel(node.addresses().peer()))
        .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** The node's application service, with a fresh deadline. */
  DhtGrpc.DhtBlockingStub dht(KadmeshServer node) {
    return DhtGrpc.newBlockingStub(channel(node.addresses().api()))
        .withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
