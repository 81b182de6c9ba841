package io.kadmesh.server.grpc;

import io.kadmesh.server.HostPort;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.ResponseHeader;
import io.kadmesh.proto.v1.StoreResponse;
import java.time.Instant;

/**
 * Converts between the core's types and their protobuf messages: the one place that knows both.
 * Decoding validates what the wire may get wrong and throws {@link WireFormatException} naming
 * the field, which the services answer with INVALID_ARGUMENT.
 */
final class ProtoCodec {
  /** The longest peer address accepted: a DNS name of 253 characters, a colon, a port. */
  static final int MAX_ADDRESS_LENGTH = 260;

  private ProtoCodec() {}

  static ByteString encode(NodeId id) {
    return ByteString.copyFrom(id.toBytes());
  }

  static NodeId decodeId(ByteString bytes, String field) {
    if (bytes.size() != NodeId.BYTES) {
      throw new WireFormatException(
          field + " must be " + NodeId.BYTES + " bytes, got " + bytes.size());
    }
    return NodeId.fromBytes(bytes.toByteArray());
  }

  static io.kadmesh.proto.v1.Contact encode(Contact contact) {
    return io.kadmesh.proto.v1.Contact.newBuilder()
        .setNodeId(encode(contact.id()))
        .setAddress(contact.address())
        .build();
  }

  static Contact decode(io.kadmesh.proto.v1.Contact contact, String field) {
    NodeId id = decodeId(contact.getNodeId(), field + ".node_id");
    String address = contact.getAddress();
    if (!HostPort.isValid(address) || address.length() > MAX_ADDRESS_LENGTH) {
      throw new WireFormatException(field + ".address must be HOST:PORT of at most "
          + MAX_ADDRESS_LENGTH + " characters, got '" + abbreviate(address) + "'");
    }
    return new Contact(id, address);
  }

  static io.kadmesh.proto.v1.Version encode(Version version) {
    return io.kadmesh.proto.v1.Version.newBuilder()
        .setSequence(version.sequence())
        .setWriterId(encode(version.writer()))
        .build();
  }

  static Version decode(io.kadmesh.proto.v1.Version version, String field) {
    if (version.getSequence() < 0) {
      throw new WireFormatException(field + ".sequence must be below 2^63");
    }
    return new Version(version.getSequence(), decodeId(version.getWriterId(), field + ".writer_id"));
  }

  static Timestamp encode(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Instant decode(Timestamp ts, String field) {
    if (ts.getNanos() < 0 || ts.getNanos() > 999_999_999
        || ts.getSeconds() < Instant.MIN.getEpochSecond()
        || ts.getSeconds() > Instant.MAX.getEpochSecond()) {
      throw new WireFormatException(field + " is not a valid timestamp");
    }
    return Instant.ofEpochSecond(ts.getSeconds(), ts.getNanos());
  }

  static PeerRecord encode(ValueRecord record) {
    return PeerRecord.newBuilder()
        .setKey(encode(record.key()))
        .setValue(ByteString.copyFrom(record.valueUnsafe()))
        .setVersion(encode(record.version()))
        .setExpiresAt(encode(record.expiresAt()))
        .setTombstone(record.isTombstone())
        .build();
  }

  static ValueRecord decode(PeerRecord record, String field) {
    NodeId key = decodeId(record.getKey(), field + ".key");
    if (!record.hasVersion()) {
      throw new WireFormatException(field + ".version is required");
    }
    if (!record.hasExpiresAt()) {
      throw new WireFormatException(field + ".expires_at is required");
    }
    Version version = decode(record.getVersion(), field + ".version");
    Instant expiresAt = decode(record.getExpiresAt(), field + ".expires_at");
    if (record.getTombstone()) {
      if (!record.getValue().isEmpty()) {
        throw new WireFormatException(field + ".value must be empty for a tombstone");
      }
      return ValueRecord.tombstone(key, version, expiresAt);
    }
    return ValueRecord.valueOwning(key, record.getValue().toByteArray(), version, expiresAt);
  }

  static StoreResponse encode(StoreResult result, ResponseHeader header) {
    StoreResponse.Builder response = StoreResponse.newBuilder()
        .setHeader(header)
        .setStored(result.stored());
    if (result.newerHeld() != null) {
      response.setHeld(encode(result.newerHeld()));
    }
    return response.build();
  }

  /** A STORE answer; {@code held} is read only when the callee did not store the record. */
  static StoreResult decode(StoreResponse response) {
    if (response.getStored()) {
      return StoreResult.STORED;
    }
    return StoreResult.notStored(response.hasHeld() ? decode(response.getHeld(), "held") : null);
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
