package io.kadmesh.server.grpc;

import io.kadmesh.server.HostPort;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.PeerTransport.Subscription;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.proto.v1.FindNodeRequest;
import io.kadmesh.proto.v1.FindNodeResponse;
import io.kadmesh.proto.v1.FindValueRequest;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.NotifyRequest;
import io.kadmesh.proto.v1.NotifyResponse;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.SubscribeRequest;
import io.kadmesh.proto.v1.SubscribeResponse;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.proto.v1.ResponseHeader;
import io.kadmesh.proto.v1.StoreRequest;
import io.kadmesh.proto.v1.StoreResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves the peer protocol: checks each request's header and fields, hands it to the node, and
 * encodes the answer. Holds no Kademlia logic of its own. Under mutual TLS a sender must be the
 * node its certificate names ({@link CertifiedCaller}).
 */
final class KademliaService extends KademliaGrpc.KademliaImplBase {
  private final KademliaNode node;
  private final ResponseHeader header;

  KademliaService(KademliaNode node) {
    this.node = node;
    this.header = ResponseHeader.newBuilder().setResponder(ProtoCodec.encode(node.self())).build();
  }

  @Override
  public void ping(PingRequest request, StreamObserver<PingResponse> observer) {
    Responder.answer(observer, () -> {
      node.handlePing(sender(request.getHeader(), request.hasHeader()));
      return PingResponse.newBuilder().setHeader(header).build();
    });
  }

  @Override
  public void findNode(FindNodeRequest request, StreamObserver<FindNodeResponse> observer) {
    Responder.answer(observer, () -> {
      Contact sender = sender(request.getHeader(), request.hasHeader());
      NodeId target = ProtoCodec.decodeId(request.getTarget(), "target");
      List<Contact> closest = node.handleFindNode(sender, target);
      FindNodeResponse.Builder response = FindNodeResponse.newBuilder().setHeader(header);
      closest.forEach(c -> response.addClosest(ProtoCodec.encode(c)));
      return response.build();
    });
  }

  @Override
  public void findValue(FindValueRequest request, StreamObserver<FindValueResponse> observer) {
    Responder.answer(observer, () -> {
      Contact sender = sender(request.getHeader(), request.hasHeader());
      NodeId key = ProtoCodec.decodeId(request.getKey(), "key");
      FoundValue found = node.handleFindValue(sender, key,
          ProtoCodec.decode(request.getKind(), "kind"));
      FindValueResponse.Builder response = FindValueResponse.newBuilder().setHeader(header);
      if (found.record() != null) {
        response.setRecord(ProtoCodec.encode(found.record()));
      }
      found.closest().forEach(c -> response.addClosest(ProtoCodec.encode(c)));
      found.records().forEach(r -> response.addRecords(ProtoCodec.encode(r)));
      return response.build();
    });
  }

  @Override
  public void store(StoreRequest request, StreamObserver<StoreResponse> observer) {
    Responder.answer(observer, () -> {
      Contact sender = sender(request.getHeader(), request.hasHeader());
      if (!request.hasRecord()) {
        throw new WireFormatException("record is required");
      }
      StoreResult result = node.handleStore(sender, ProtoCodec.decode(request.getRecord(), "record"));
      return ProtoCodec.encode(result, header);
    });
  }

  @Override
  public void subscribe(SubscribeRequest request, StreamObserver<SubscribeResponse> observer) {
    Responder.answer(observer, () -> {
      Contact sender = sender(request.getHeader(), request.hasHeader());
      NodeId key = ProtoCodec.decodeId(request.getKey(), "key");
      if (!request.hasTtl()) {
        throw new WireFormatException("ttl is required");
      }
      com.google.protobuf.Duration ttl = request.getTtl();
      if (ttl.getSeconds() < 0 || ttl.getNanos() < 0 || ttl.getNanos() > 999_999_999
          || (ttl.getSeconds() == 0 && ttl.getNanos() == 0)) {
        throw new WireFormatException("ttl must be positive");
      }
      Subscription subscription = node.handleSubscribe(sender, key,
          ProtoCodec.decode(request.getKind(), "kind"),
          Duration.ofSeconds(Math.min(ttl.getSeconds(), 86_400), ttl.getNanos()));
      SubscribeResponse.Builder response = SubscribeResponse.newBuilder().setHeader(header)
          .setExpiresAt(ProtoCodec.encode(subscription.expiresAt()));
      subscription.records().forEach(r -> response.addRecords(ProtoCodec.encode(r)));
      return response.build();
    });
  }

  @Override
  public void notify(NotifyRequest request, StreamObserver<NotifyResponse> observer) {
    Responder.answer(observer, () -> {
      Contact sender = sender(request.getHeader(), request.hasHeader());
      if (sender == null) {
        throw new WireFormatException("header.sender is required: only a replica notifies");
      }
      NodeId key = ProtoCodec.decodeId(request.getKey(), "key");
      List<ValueRecord> records = new ArrayList<>(request.getRecordsCount());
      for (PeerRecord r : request.getRecordsList()) {
        records.add(ProtoCodec.decode(r, "records"));
      }
      boolean subscribed = node.handleNotify(sender, key,
          ProtoCodec.decode(request.getKind(), "kind"), records);
      return NotifyResponse.newBuilder().setHeader(header).setSubscribed(subscribed).build();
    });
  }

  /** Checks network and protocol version; answers the sender's contact, or null for a tool. */
  private Contact sender(RequestHeader requestHeader, boolean present) {
    if (!present) {
      throw new WireFormatException("header is required");
    }
    if (requestHeader.getProtocolVersion() != PeerProtocol.VERSION) {
      throw DhtException.refused("protocol version " + requestHeader.getProtocolVersion()
          + " is not supported: this node speaks version " + PeerProtocol.VERSION);
    }
    String network = node.config().network();
    if (!requestHeader.getNetwork().equals(network)) {
      throw DhtException.refused("this node belongs to network '" + network + "', not '"
          + ProtoCodec.abbreviate(requestHeader.getNetwork()) + "'");
    }
    if (!requestHeader.hasSender()) {
      return null;
    }
    Contact sender = ProtoCodec.decode(requestHeader.getSender(), "header.sender");
    CertifiedCaller.checkSender(sender.id());
    if (HostPort.parse(sender.address()).isWildcard()) {
      throw new WireFormatException(
          "header.sender.address must be an address peers can dial, not " + sender.address());
    }
    return sender;
  }
}
