package io.kadmesh.it.adversary;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.CallOptions;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.NodeId;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindNodeResponse;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.RecordKind;
import io.kadmesh.proto.v1.ResponseHeader;
import io.kadmesh.proto.v1.Signature;
import io.kadmesh.proto.v1.StoreRequest;
import io.kadmesh.proto.v1.StoreResponse;
import io.kadmesh.proto.v1.Version;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An attacker written with nothing but the generated stubs: it sends any request, with any header,
 * to a node's ports, and serves the Kademlia service on a Netty port of its own, where it answers
 * Ping honestly with its ID (so that nodes admit it), FindNode and FindValue as the test says, and
 * notes every STORE it is sent.
 */
final class HostilePeer implements AutoCloseable {
  static final int PROTOCOL_VERSION = 1;
  private static final long DEADLINE_SECONDS = 10;

  private final NodeId id;
  private final String network;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final AtomicInteger findValueCalls = new AtomicInteger();
  private final List<ReceivedStore> storesReceived = new CopyOnWriteArrayList<>();
  private volatile Function<NodeId, List<Contact>> findNodeAnswer = target -> List.of();
  private volatile Function<NodeId, PeerRecord> findValueAnswer = key -> null;
  private volatile int answerPadding;
  private Server server;
  private String address = "127.0.0.1:1";

  HostilePeer(NodeId id, String network) {
    this.id = id;
    this.network = network;
  }

  /** Serves the Kademlia service on 127.0.0.1 and an ephemeral port, as a node would. */
  HostilePeer serve() {
    try {
      server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
          .addService(new LyingKademlia())
          .build()
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    address = "127.0.0.1:" + server.getPort();
    return this;
  }

  NodeId id() {
    return id;
  }

  /** Where it serves (once {@link #serve}d). */
  String address() {
    return address;
  }

  /** What it answers FindNode with, for every target. */
  HostilePeer answeringFindNode(Function<NodeId, List<Contact>> answer) {
    findNodeAnswer = answer;
    return this;
  }

  /** The record it answers FindValue with (null: none, and no contacts either). */
  HostilePeer answeringFindValue(Function<NodeId, PeerRecord> answer) {
    findValueAnswer = answer;
    return this;
  }

  /**
   * Pads every FindValue answer with {@code bytes} of an unknown field: the answer means the same
   * to a parser that reads it, but is that much larger on the wire.
   */
  HostilePeer paddingAnswers(int bytes) {
    answerPadding = bytes;
    return this;
  }

  int findValueCalls() {
    return findValueCalls.get();
  }

  /** A STORE sent to it: the record, and the node the header named (null for none, or no ID). */
  record ReceivedStore(NodeId sender, PeerRecord record) {}

  /** Every STORE nodes sent to it so far, in arrival order. */
  List<ReceivedStore> storesReceived() {
    return List.copyOf(storesReceived);
  }

  /** Whether {@code sender} has sent it a STORE of a record of {@code key}. */
  boolean receivedStore(NodeId sender, NodeId key) {
    ByteString k = bytes(key);
    return storesReceived.stream()
        .anyMatch(s -> sender.equals(s.sender()) && s.record().getKey().equals(k));
  }

  // ---- what it sends ---------------------------------------------------------------------------

  /** Its own, true header. */
  RequestHeader header() {
    return headerAs(id, address);
  }

  /** The header of a tool: no contact of its own, so that no node adds it to its table. */
  RequestHeader anonymousHeader() {
    return RequestHeader.newBuilder().setNetwork(network).setProtocolVersion(PROTOCOL_VERSION).build();
  }

  /** A header claiming to come from {@code sender} at {@code senderAddress}. */
  RequestHeader headerAs(NodeId sender, String senderAddress) {
    return RequestHeader.newBuilder()
        .setSender(contact(sender, senderAddress))
        .setNetwork(network)
        .setProtocolVersion(PROTOCOL_VERSION)
        .build();
  }

  KademliaGrpc.KademliaBlockingStub kademlia(String peerAddress) {
    return KademliaGrpc.newBlockingStub(channel(peerAddress)).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  KademliaGrpc.KademliaFutureStub kademliaAsync(String peerAddress) {
    return KademliaGrpc.newFutureStub(channel(peerAddress)).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  DhtGrpc.DhtBlockingStub dht(String apiAddress) {
    return DhtGrpc.newBlockingStub(channel(apiAddress)).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
  }

  /** Pings the node at {@code peerAddress} as itself, so that the node may admit it. */
  void introduceTo(String peerAddress) {
    kademlia(peerAddress).ping(PingRequest.newBuilder().setHeader(header()).build());
  }

  /** Stores {@code record} on the node at {@code peerAddress}, as itself; answers "stored". */
  boolean store(String peerAddress, PeerRecord record) {
    return kademlia(peerAddress).store(StoreRequest.newBuilder().setHeader(header()).setRecord(record).build())
        .getStored();
  }

  /** The whole answer to a STORE of {@code record} it sends as itself: stored, held, held_seq. */
  StoreResponse storeAnswer(String peerAddress, PeerRecord record) {
    return kademlia(peerAddress).store(StoreRequest.newBuilder().setHeader(header()).setRecord(record).build());
  }

  /**
   * What the node at {@code peerAddress} answers to FindValue for the record of {@code kind} under
   * {@code key}, asked as a tool (no contact), so that looking does not change its table.
   */
  FindValueResponse findValue(String peerAddress, NodeId key, RecordKind kind) {
    return kademlia(peerAddress).findValue(FindValueRequest.newBuilder().setHeader(anonymousHeader())
        .setKey(bytes(key)).setKind(kind).build());
  }

  /** Sends {@code payload} as the request of {@code method}, whatever it holds. */
  byte[] sendRaw(String address, MethodDescriptor<?, ?> method, byte[] payload) {
    MethodDescriptor<byte[], byte[]> raw = method.toBuilder(RAW, RAW).build();
    return ClientCalls.blockingUnaryCall(channel(address), raw,
        CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS), payload);
  }

  private ManagedChannel channel(String target) {
    return channels.computeIfAbsent(target, t -> NettyChannelBuilder.forTarget(t).usePlaintext()
        // Its own limit is not what is tested: it reads whatever a node answers.
        .maxInboundMessageSize(64 << 20)
        .build());
  }

  @Override
  public void close() throws InterruptedException {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel c : channels.values()) {
      c.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  // ---- messages --------------------------------------------------------------------------------

  static Contact contact(NodeId node, String address) {
    return Contact.newBuilder().setNodeId(bytes(node)).setAddress(address).build();
  }

  /** A live value of {@code key} at {@code sequence} by {@code writer}, expiring at {@code expiresAt}. */
  static PeerRecord record(NodeId key, byte[] value, long sequence, NodeId writer, Instant expiresAt) {
    return PeerRecord.newBuilder()
        .setKey(bytes(key))
        .setValue(ByteString.copyFrom(value))
        .setVersion(Version.newBuilder().setSequence(sequence).setWriterId(bytes(writer)))
        .setExpiresAt(Timestamp.newBuilder().setSeconds(expiresAt.getEpochSecond()).setNanos(expiresAt.getNano()))
        .build();
  }

  /**
   * A signed record of {@code name} under {@code key}, claiming {@code publicKey} as its owner and
   * carrying {@code signature} as the owner's: the test decides whether any of it is true.
   */
  static PeerRecord signedRecord(NodeId key, byte[] publicKey, String name, long seq, byte[] value,
      long expiresAtSeconds, byte[] signature) {
    return PeerRecord.newBuilder()
        .setKey(bytes(key))
        .setValue(ByteString.copyFrom(value))
        .setExpiresAt(Timestamp.newBuilder().setSeconds(expiresAtSeconds))
        .setKind(RecordKind.RECORD_KIND_SIGNED)
        .setSignature(Signature.newBuilder()
            .setPublicKey(ByteString.copyFrom(publicKey))
            .setName(name)
            .setSeq(seq)
            .setSignature(ByteString.copyFrom(signature)))
        .build();
  }

  /** A content record of {@code value} claimed to be stored under {@code key}, whatever its hash. */
  static PeerRecord contentRecord(NodeId key, byte[] value, long sequence, NodeId writer, Instant expiresAt) {
    return record(key, value, sequence, writer, expiresAt).toBuilder()
        .setKind(RecordKind.RECORD_KIND_CONTENT)
        .build();
  }

  static ByteString bytes(NodeId node) {
    return ByteString.copyFrom(node.toBytes());
  }

  /** Its Kademlia service: honest about who it is, lying about everything else. */
  private final class LyingKademlia extends KademliaGrpc.KademliaImplBase {
    private ResponseHeader responseHeader() {
      return ResponseHeader.newBuilder().setResponder(contact(id, address)).build();
    }

    @Override
    public void ping(PingRequest request, StreamObserver<PingResponse> observer) {
      observer.onNext(PingResponse.newBuilder().setHeader(responseHeader()).build());
      observer.onCompleted();
    }

    @Override
    public void findNode(FindNodeRequest request, StreamObserver<FindNodeResponse> observer) {
      NodeId target = NodeId.fromBytes(request.getTarget().toByteArray());
      observer.onNext(FindNodeResponse.newBuilder().setHeader(responseHeader())
          .addAllClosest(findNodeAnswer.apply(target)).build());
      observer.onCompleted();
    }

    @Override
    public void findValue(FindValueRequest request, StreamObserver<FindValueResponse> observer) {
      findValueCalls.incrementAndGet();
      NodeId key = NodeId.fromBytes(request.getKey().toByteArray());
      FindValueResponse.Builder response = FindValueResponse.newBuilder().setHeader(responseHeader());
      PeerRecord fake = findValueAnswer.apply(key);
      if (fake != null) {
        response.setRecord(fake);
      }
      if (answerPadding > 0) {
        response.setUnknownFields(UnknownFieldSet.newBuilder().addField(15, UnknownFieldSet.Field.newBuilder()
            .addLengthDelimited(ByteString.copyFrom(new byte[answerPadding])).build()).build());
      }
      observer.onNext(response.build());
      observer.onCompleted();
    }

    @Override
    public void store(StoreRequest request, StreamObserver<StoreResponse> observer) {
      ByteString claimed = request.getHeader().getSender().getNodeId();
      NodeId sender = claimed.size() == NodeId.BYTES ? NodeId.fromBytes(claimed.toByteArray()) : null;
      storesReceived.add(new ReceivedStore(sender, request.getRecord()));
      // Claims to keep everything, keeps nothing.
      observer.onNext(StoreResponse.newBuilder().setHeader(responseHeader()).setStored(true).build());
      observer.onCompleted();
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };
}
