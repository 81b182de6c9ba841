package io.kadmesh.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.DeleteRequest;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.GetNodeInfoRequest;
import io.kadmesh.proto.v1.GetRequest;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PutRequest;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.StoreRequest;
import io.kadmesh.proto.v1.Version;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Seeded random requests to every RPC of both services (Kademlia's Ping, FindNode, FindValue and
 * Store; Dht's Put, Get, Delete and GetNodeInfo): whatever a caller sends, field values, raw or
 * mutated bytes, or wire shapes no encoder produces, no answer is UNKNOWN or INTERNAL, and the
 * node keeps serving. Each test prints how many calls it made and what they were answered; the
 * four make about 2,000 calls in all.
 */
class RobustnessFuzzTest {
  private static final long SEED = 0x6b61646d657368L;
  private static final int ROUNDS = 170;

  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final Random random = new Random(SEED);
  /** How the calls of the running test were answered, by status code. */
  private final Map<Status.Code, Integer> answered = new EnumMap<>(Status.Code.class);

  // ---- random values, biased towards the edges and towards what passes validation -------------

  private ByteString bytes() {
    int length = switch (random.nextInt(40)) {
      case 0, 1, 2, 3, 4, 5, 6 -> 0;
      case 7, 8, 9, 10, 11, 12 -> 31 + random.nextInt(3);
      case 13, 14, 15, 16, 17, 18, 19 -> random.nextInt(100);
      // Around a 64 KiB value limit, and far over a 64-byte one.
      case 20 -> 65_536 + random.nextInt(3) - 1;
      default -> 32;
    };
    byte[] b = new byte[length];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  private String string() {
    return switch (random.nextInt(8)) {
      case 0 -> "";
      case 1 -> "k".repeat(1020 + random.nextInt(10));
      case 2 -> "é".repeat(random.nextInt(600));
      case 3 -> new String(Character.toChars(0x1F600 + random.nextInt(50))).repeat(1 + random.nextInt(300));
      case 4 -> "\0\n\t\uFFFF";
      default -> {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(40);
        for (int i = 0; i < n; i++) {
          sb.append((char) (0x20 + random.nextInt(0x2000)));
        }
        yield sb.toString();
      }
    };
  }

  private String address(KadmeshServer node) {
    return switch (random.nextInt(12)) {
      case 0 -> "0.0.0.0:" + random.nextInt(70000);
      case 1 -> "[::]:1";
      case 2 -> "[::1]:" + (random.nextInt(140000) - 70000);
      case 3 -> ":";
      case 4 -> "host:";
      case 5 -> "a:b:c";
      case 6 -> "[]:1";
      case 7 -> "h".repeat(250 + random.nextInt(20)) + ":1";
      case 8 -> node.addresses().peer(); // its own address, under another ID
      case 9 -> string();
      default -> TestNodes.address("fuzz");
    };
  }

  private long anyLong() {
    return switch (random.nextInt(7)) {
      case 0 -> Long.MIN_VALUE;
      case 1 -> Long.MAX_VALUE;
      case 2 -> random.nextInt(2000) - 1000;
      case 3 -> -1; // 2^64 - 1 as the uint64 it is on the wire
      case 4 -> System.currentTimeMillis() * 1000 + random.nextInt(120_000_000) - 60_000_000; // now, ± a minute
      default -> random.nextLong();
    };
  }

  private int anyNanos() {
    return switch (random.nextInt(4)) {
      case 0 -> Integer.MIN_VALUE + random.nextInt(3);
      case 1 -> Integer.MAX_VALUE - random.nextInt(3);
      case 2 -> random.nextInt(2_000_000_000) - 1_000_000_000;
      default -> random.nextInt(1_000_000_000);
    };
  }

  private Timestamp timestamp() {
    if (random.nextBoolean()) {
      Instant t = Instant.now().plusSeconds(random.nextInt(20 * 86400) - 86400);
      return PeerMessages.timestamp(t);
    }
    return Timestamp.newBuilder().setSeconds(anyLong()).setNanos(anyNanos()).build();
  }

  private com.google.protobuf.Duration duration() {
    if (random.nextBoolean()) {
      return com.google.protobuf.Duration.newBuilder().setSeconds(random.nextInt(20 * 86400) - 100).build();
    }
    return com.google.protobuf.Duration.newBuilder().setSeconds(anyLong()).setNanos(anyNanos()).build();
  }

  private RequestHeader header(KadmeshServer node) {
    RequestHeader.Builder h = RequestHeader.newBuilder()
        .setNetwork(random.nextInt(8) == 0 ? string() : NodeConfig.DEFAULT_NETWORK)
        .setProtocolVersion(random.nextInt(8) == 0 ? random.nextInt() : PeerProtocol.VERSION);
    if (random.nextInt(4) != 0) {
      h.setSender(Contact.newBuilder().setNodeId(bytes()).setAddress(address(node)));
    }
    return random.nextInt(10) == 0 ? RequestHeader.getDefaultInstance() : h.build();
  }

  private PeerRecord record() {
    PeerRecord.Builder r = PeerRecord.newBuilder()
        .setKey(bytes())
        .setValue(random.nextInt(4) == 0 ? ByteString.EMPTY : bytes())
        .setTombstone(random.nextInt(4) == 0);
    if (random.nextInt(8) != 0) {
      r.setVersion(Version.newBuilder().setSequence(anyLong()).setWriterId(bytes()));
    }
    if (random.nextInt(8) != 0) {
      r.setExpiresAt(timestamp());
    }
    return r.build();
  }

  // ---- calls -----------------------------------------------------------------------------------

  /** Runs one call; a failure must be a deliberate status, never UNKNOWN or INTERNAL. */
  private void call(Callable<?> rpc, Object request) {
    try {
      rpc.call();
      answered.merge(Status.Code.OK, 1, Integer::sum);
    } catch (StatusRuntimeException e) {
      answered.merge(e.getStatus().getCode(), 1, Integer::sum);
      assertThat(e.getStatus().getCode())
          .as("seed %d, request %s → %s", SEED, abbreviate(request), e.getStatus())
          .isNotIn(Status.Code.UNKNOWN, Status.Code.INTERNAL);
    } catch (Exception e) {
      throw new AssertionError("seed " + SEED + ": the stub threw " + e, e);
    }
  }

  private static String abbreviate(Object request) {
    String s = String.valueOf(request);
    return s.length() <= 300 ? s : s.substring(0, 300) + "...";
  }

  private KademliaGrpc.KademliaBlockingStub kademlia(ManagedChannel channel) {
    return KademliaGrpc.newBlockingStub(channel).withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  private DhtGrpc.DhtBlockingStub dht(ManagedChannel channel) {
    // Now and then a deadline so short that it passes mid-call.
    long millis = random.nextInt(10) == 0 ? random.nextInt(5) : TestNodes.CALL_DEADLINE_SECONDS * 1000;
    return DhtGrpc.newBlockingStub(channel).withDeadlineAfter(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Ping answers and a Put is kept; {@code readBack} also reads it (not after the Kademlia fuzz: its
   * dead contacts look closer to the key than the node, and the core's Get then skips the local
   * copy — see DhtServiceTest's disabled test on that).
   */
  private void assertStillServing(KadmeshServer node, boolean readBack) {
    ManagedChannel peer = nodes.channel(node.addresses().peer());
    ManagedChannel api = nodes.channel(node.addresses().api());
    assertThat(kademlia(peer).ping(PeerMessages.ping(PeerMessages.toolHeader())).getHeader().getResponder().getNodeId())
        .isEqualTo(PeerMessages.bytes(node.node().self().id()));
    DhtGrpc.DhtBlockingStub dht = DhtGrpc.newBlockingStub(api)
        .withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS);
    assertThat(dht.put(PutRequest.newBuilder().setKey("after-the-storm")
        .setValue(ByteString.copyFromUtf8("calm")).build()).getReplicas()).isPositive();
    if (!readBack) {
      return;
    }
    assertThat(dht.get(GetRequest.newBuilder().setKey("after-the-storm").build()).getValue().toStringUtf8())
        .isEqualTo("calm");
  }

  // ---- the tests ---------------------------------------------------------------------------------

  @Test
  void kademliaRpcs_withRandomFieldValues_neverAnswerUnknownOrInternalAndTheNodeKeepsServing() {
    // A quorum of one: the random senders fill the table with peers that do not exist.
    KadmeshServer node = nodes.start(
        NodeConfig.builder().k(4).maxRecords(1000).maxValueBytes(64).writeQuorum(1).build());
    ManagedChannel channel = nodes.channel(node.addresses().peer());

    for (int i = 0; i < ROUNDS; i++) {
      PingRequest ping = PingRequest.newBuilder().setHeader(header(node)).build();
      call(() -> kademlia(channel).ping(ping), ping);
      FindNodeRequest findNode = FindNodeRequest.newBuilder().setHeader(header(node)).setTarget(bytes()).build();
      call(() -> kademlia(channel).findNode(findNode), findNode);
      FindValueRequest findValue = FindValueRequest.newBuilder().setHeader(header(node)).setKey(bytes()).build();
      call(() -> kademlia(channel).findValue(findValue), findValue);
      StoreRequest.Builder store = StoreRequest.newBuilder().setHeader(header(node));
      if (random.nextInt(10) != 0) {
        store.setRecord(record());
      }
      StoreRequest storeRequest = store.build();
      call(() -> kademlia(channel).store(storeRequest), storeRequest);
    }

    assertStillServing(node, false);
  }

  @Test
  void dhtRpcs_withRandomFieldValues_neverAnswerUnknownOrInternalAndTheNodeKeepsServing() {
    KadmeshServer node = nodes.start(NodeConfig.builder().maxRecords(1000).maxValueBytes(64).build());
    ManagedChannel channel = nodes.channel(node.addresses().api());

    for (int i = 0; i < ROUNDS; i++) {
      PutRequest.Builder put = PutRequest.newBuilder().setKey(string()).setValue(bytes());
      if (random.nextBoolean()) {
        put.setTtl(duration());
      }
      PutRequest putRequest = put.build();
      call(() -> dht(channel).put(putRequest), putRequest);
      GetRequest get = GetRequest.newBuilder().setKey(random.nextBoolean() ? putRequest.getKey() : string()).build();
      call(() -> dht(channel).get(get), get);
      DeleteRequest delete = DeleteRequest.newBuilder().setKey(string()).build();
      call(() -> dht(channel).delete(delete), delete);
      call(() -> dht(channel).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()), "GetNodeInfo");
    }

    assertStillServing(node, true);
  }

  @Test
  void everyRpc_withRandomOrMutatedBytes_neverAnswersUnknownOrInternal() {
    fuzzRawBytes(seed -> random.nextInt(3) == 0 ? randomBytes() : mutate(seed));
  }

  @Test
  void everyRpc_withWireShapesNoEncoderProduces_neverAnswersUnknownOrInternal() {
    fuzzRawBytes(this::malformed);
  }

  /**
   * Sends {@code ROUNDS * 2} raw payloads to random RPCs of both ports, each made by
   * {@code payloadOf} from that RPC's valid seed message, then checks the node still serves.
   */
  private void fuzzRawBytes(UnaryOperator<byte[]> payloadOf) {
    KadmeshServer node = nodes.start(NodeConfig.builder().maxRecords(1000).maxValueBytes(64).build());
    ManagedChannel peer = nodes.channel(node.addresses().peer());
    ManagedChannel api = nodes.channel(node.addresses().api());
    List<Message> seeds = seedMessages();
    List<MethodDescriptor<?, ?>> methods = allMethods();

    for (int i = 0; i < ROUNDS * 2; i++) {
      int which = random.nextInt(methods.size());
      byte[] payload = payloadOf.apply(seeds.get(which).toByteArray());
      MethodDescriptor<byte[], byte[]> raw = methods.get(which).toBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER).build();
      callRaw(which < 4 ? peer : api, raw, payload);
    }

    assertStillServing(node, true);
  }

  private void callRaw(ManagedChannel channel, MethodDescriptor<byte[], byte[]> raw, byte[] payload) {
    try {
      ClientCalls.blockingUnaryCall(channel, raw,
          CallOptions.DEFAULT.withDeadlineAfter(TestNodes.CALL_DEADLINE_SECONDS, TimeUnit.SECONDS), payload);
      answered.merge(Status.Code.OK, 1, Integer::sum);
    } catch (StatusRuntimeException e) {
      answered.merge(e.getStatus().getCode(), 1, Integer::sum);
      assertThat(e.getStatus().getCode()).as("seed %d, %s → %s", SEED, raw.getFullMethodName(), e.getStatus())
          .isNotIn(Status.Code.UNKNOWN, Status.Code.INTERNAL);
    }
  }

  @AfterEach
  void printCount(TestInfo test) {
    int calls = answered.values().stream().mapToInt(Integer::intValue).sum();
    System.out.printf("RobustnessFuzzTest.%s: %d calls (seed %d), answered %s%n",
        test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("?"), calls, SEED, answered);
  }

  /**
   * A valid message followed by what protobuf's own encoder never writes: a known field with the
   * wrong wire type, a length running past the end, a varint of eleven bytes, a field number 0,
   * unbalanced or deeply nested groups, or thousands of repeated unknown fields.
   */
  private byte[] malformed(byte[] valid) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(valid);
    switch (random.nextInt(8)) {
      case 0 -> out.writeBytes(new byte[] {(byte) ((1 + random.nextInt(5)) << 3), 1}); // field 1..5 as a varint
      case 1 -> out.writeBytes(new byte[] {(byte) ((2 << 3) | 2), (byte) 0xff, (byte) 0xff, 0x03, 1, 2}); // length past the end
      case 2 -> {
        out.write(3 << 3); // field 3, a varint of 11 bytes
        for (int i = 0; i < 10; i++) out.write(0xff);
        out.write(1);
      }
      case 3 -> out.writeBytes(new byte[] {0, 1}); // field number 0
      case 4 -> out.write((9 << 3) | 3); // a group that never ends
      case 5 -> out.write((9 << 3) | 4); // a group that never began
      case 6 -> {
        // Groups nested past protobuf's recursion limit.
        for (int i = 0; i < 200; i++) out.write((9 << 3) | 3);
        for (int i = 0; i < 200; i++) out.write((9 << 3) | 4);
      }
      default -> {
        // A huge repeated field: thousands of unknown varints.
        int count = 1000 + random.nextInt(9000);
        for (int i = 0; i < count; i++) out.writeBytes(new byte[] {(byte) (14 << 3), (byte) random.nextInt(128)});
      }
    }
    return out.toByteArray();
  }

  /** A valid request of each RPC, in the order of {@link #allMethods}. */
  private List<Message> seedMessages() {
    return List.of(
        PeerMessages.ping(PeerMessages.toolHeader()),
        PeerMessages.findNode(PeerMessages.toolHeader(), NodeId.random(random)),
        PeerMessages.findValue(PeerMessages.toolHeader(), NodeId.random(random)),
        PeerMessages.store(PeerMessages.toolHeader(),
            PeerMessages.record(NodeId.random(random), "v", 1, NodeId.random(random))),
        PutRequest.newBuilder().setKey("k").setValue(ByteString.copyFromUtf8("v"))
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(60)).build(),
        GetRequest.newBuilder().setKey("k").build(),
        DeleteRequest.newBuilder().setKey("k").build(),
        GetNodeInfoRequest.getDefaultInstance());
  }

  /** Every RPC of both services: the peer port's four first, then the API port's. */
  private static List<MethodDescriptor<?, ?>> allMethods() {
    return List.of(
        KademliaGrpc.getPingMethod(), KademliaGrpc.getFindNodeMethod(), KademliaGrpc.getFindValueMethod(),
        KademliaGrpc.getStoreMethod(), DhtGrpc.getPutMethod(), DhtGrpc.getGetMethod(),
        DhtGrpc.getDeleteMethod(), DhtGrpc.getGetNodeInfoMethod());
  }

  private byte[] randomBytes() {
    byte[] b = new byte[random.nextInt(200)];
    random.nextBytes(b);
    return b;
  }

  /** A valid message's bytes with a few flipped, cut short or followed by junk. */
  private byte[] mutate(byte[] valid) {
    byte[] b = valid.clone();
    switch (random.nextInt(3)) {
      case 0 -> {
        for (int flips = 1 + random.nextInt(3); flips > 0 && b.length > 0; flips--) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = java.util.Arrays.copyOf(b, b.length == 0 ? 0 : random.nextInt(b.length));
      default -> {
        byte[] junk = randomBytes();
        byte[] out = java.util.Arrays.copyOf(b, b.length + junk.length);
        System.arraycopy(junk, 0, out, b.length, junk.length);
        b = out;
      }
    }
    return b;
  }

}
