package io.kadmesh.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.node.KademliaNode;
import java.util.Optional;

/**
 * The DHT key an application request is about, found by the request's field names (a string
 * {@code key}, a 32-byte {@code key}, {@code service}, {@code public_key} with {@code name}, a
 * content {@code value}), so that a slow operation's log line names the key's hash and never the
 * application's key itself. Only asked when an operation was slow: it hashes.
 */
final class RequestKeys {
  private RequestKeys() {}

  /** The first 8 hex digits of the request's DHT key, or empty when it names none (or a bad one). */
  static Optional<String> hashPrefix(KademliaNode node, Object request) {
    if (node == null || !(request instanceof Message m)) {
      return Optional.empty();
    }
    try {
      return keyOf(node, m).map(NodeId::shortHex);
    } catch (DhtException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<NodeId> keyOf(KademliaNode node, Message m) {
    Object key = field(m, "key");
    if (key instanceof String s && !s.isEmpty()) {
      return Optional.of(node.keyOf(s));
    }
    if (key instanceof ByteString b && b.size() == NodeId.BYTES) {
      return Optional.of(NodeId.fromBytes(b.toByteArray()));
    }
    if (field(m, "service") instanceof String service && !service.isEmpty()) {
      return Optional.of(node.serviceKeyOf(service));
    }
    if (field(m, "public_key") instanceof ByteString publicKey
        && field(m, "name") instanceof String name) {
      return Optional.of(node.signedKeyOf(publicKey.toByteArray(), name));
    }
    if (m.getDescriptorForType().getName().equals("PutContentRequest")
        && field(m, "value") instanceof ByteString value) {
      return Optional.of(node.contentKeyOf(value.toByteArray()));
    }
    if (field(m, "record") instanceof Message record) {
      return keyOf(node, record);
    }
    return Optional.empty();
  }

  /** The value of a field set on {@code m}, or null when it has no such field or it is unset. */
  private static Object field(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    if (f == null || f.isRepeated() || (f.hasPresence() && !m.hasField(f))) {
      return null;
    }
    return m.getField(f);
  }
}
