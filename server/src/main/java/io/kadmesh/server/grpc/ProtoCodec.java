package io.kadmesh.server.grpc;

import io.kadmesh.server.HostPort;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.RecordSignature;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.Version;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.ResponseHeader;
import io.kadmesh.proto.v1.Signature;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.proto.v1.StoreResponse;
import io.kadmesh.records.RecordKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

  static io.kadmesh.proto.v1.RecordKind encode(RecordKind kind) {
    return switch (kind) {
      case PLAIN -> io.kadmesh.proto.v1.RecordKind.RECORD_KIND_UNSPECIFIED;
      case SIGNED -> io.kadmesh.proto.v1.RecordKind.RECORD_KIND_SIGNED;
      case CONTENT -> io.kadmesh.proto.v1.RecordKind.RECORD_KIND_CONTENT;
      case ENDPOINT -> io.kadmesh.proto.v1.RecordKind.RECORD_KIND_ENDPOINT;
    };
  }

  static RecordKind decode(io.kadmesh.proto.v1.RecordKind kind, String field) {
    return switch (kind) {
      case RECORD_KIND_UNSPECIFIED -> RecordKind.PLAIN;
      case RECORD_KIND_SIGNED -> RecordKind.SIGNED;
      case RECORD_KIND_CONTENT -> RecordKind.CONTENT;
      case RECORD_KIND_ENDPOINT -> RecordKind.ENDPOINT;
      case UNRECOGNIZED -> throw new WireFormatException(field + " is not a record kind this "
          + "node knows (" + io.kadmesh.proto.v1.RecordKind.RECORD_KIND_UNSPECIFIED + ", "
          + io.kadmesh.proto.v1.RecordKind.RECORD_KIND_SIGNED + ", "
          + io.kadmesh.proto.v1.RecordKind.RECORD_KIND_CONTENT + ", "
          + io.kadmesh.proto.v1.RecordKind.RECORD_KIND_ENDPOINT + ")");
    };
  }

  /** A record as replicas exchange it: a signed record's version is left out (it is derived). */
  static PeerRecord encode(ValueRecord record) {
    PeerRecord.Builder wire = PeerRecord.newBuilder()
        .setKey(encode(record.key()))
        .setValue(ByteString.copyFrom(record.valueUnsafe()))
        .setExpiresAt(encode(record.expiresAt()))
        .setTombstone(record.isTombstone())
        .setKind(encode(record.kind()));
    RecordSignature signature = record.signature();
    if (signature == null) {
      wire.setVersion(encode(record.version()));
    } else {
      wire.setSignature(Signature.newBuilder()
          .setPublicKey(ByteString.copyFrom(signature.publicKey()))
          .setName(signature.name())
          .setSeq(signature.seq())
          .setSignature(ByteString.copyFrom(signature.signature())));
    }
    return wire.build();
  }

  /**
   * A peer's record: the fields the wire may get wrong are checked here (lengths, presence, a
   * signature on exactly the signed kind); the proof itself is the record gate's to check.
   */
  static ValueRecord decode(PeerRecord record, String field) {
    NodeId key = decodeId(record.getKey(), field + ".key");
    RecordKind kind = decode(record.getKind(), field + ".kind");
    Instant expiresAt = expiresAt(record.hasExpiresAt(), record.getExpiresAt(), field);
    // A withdrawn endpoint entry keeps its entry bytes: they name what was withdrawn.
    byte[] value = kind == RecordKind.ENDPOINT ? record.getValue().toByteArray()
        : value(record.getValue(), record.getTombstone(), field);
    if (ValueRecord.isSignedKind(kind)) {
      String what = kind == RecordKind.ENDPOINT ? "an endpoint entry" : "a signed record";
      if (!record.hasSignature()) {
        throw new WireFormatException(field + ".signature is required for " + what);
      }
      if (record.hasVersion()) {
        throw new WireFormatException(field + ".version must be unset for " + what + ": its "
            + "seq and signature order it");
      }
      Signature s = record.getSignature();
      RecordSignature proof = new RecordSignature(s.getPublicKey().toByteArray(), s.getName(),
          seq(s.getSeq(), field + ".signature.seq"), s.getSignature().toByteArray());
      return kind == RecordKind.ENDPOINT
          ? ValueRecord.endpointOwning(key, value, expiresAt, record.getTombstone(), proof)
          : ValueRecord.signedOwning(key, value, expiresAt, record.getTombstone(), proof);
    }
    if (record.hasSignature()) {
      throw new WireFormatException(field + ".signature must be unset for a " + kind + " record");
    }
    if (!record.hasVersion()) {
      throw new WireFormatException(field + ".version is required");
    }
    Version version = decode(record.getVersion(), field + ".version");
    if (kind == RecordKind.CONTENT) {
      if (record.getTombstone()) {
        throw new WireFormatException(field + ".tombstone must be false for a content record");
      }
      return ValueRecord.contentOwning(key, value, version, expiresAt);
    }
    return record.getTombstone() ? ValueRecord.tombstone(key, version, expiresAt)
        : ValueRecord.valueOwning(key, value, version, expiresAt);
  }

  /** A wire seq (uint64) as a long: 2^63 and above are refused, 0 is the gate's to refuse. */
  private static long seq(long wire, String field) {
    if (wire < 0) {
      throw new WireFormatException(field + " must be 1 to 2^63-1, got "
          + Long.toUnsignedString(wire));
    }
    return wire;
  }

  /** An application's signed record, its key derived from its public key and name. */
  static ValueRecord decode(SignedRecord record, String field) {
    Instant expiresAt = expiresAt(record.hasExpiresAt(), record.getExpiresAt(), field);
    byte[] value = value(record.getValue(), record.getTombstone(), field);
    byte[] publicKey = record.getPublicKey().toByteArray();
    NodeId key = NodeId.fromBytes(RecordKeys.signedKey(publicKey, record.getName()));
    return ValueRecord.signedOwning(key, value, expiresAt, record.getTombstone(),
        new RecordSignature(publicKey, record.getName(), seq(record.getSeq(), field + ".seq"),
            record.getSignature().toByteArray()));
  }

  /** {@code record}'s expires_at, which every record carries. */
  private static Instant expiresAt(boolean present, Timestamp expiresAt, String record) {
    if (!present) {
      throw new WireFormatException(record + ".expires_at is required");
    }
    return decode(expiresAt, record + ".expires_at");
  }

  /** {@code record}'s value, which a tombstone leaves empty. */
  private static byte[] value(ByteString value, boolean tombstone, String record) {
    if (tombstone && !value.isEmpty()) {
      throw new WireFormatException(record + ".value must be empty for a tombstone");
    }
    return value.toByteArray();
  }

  static SignedRecord encodeSigned(ValueRecord record) {
    RecordSignature signature = record.signature();
    return SignedRecord.newBuilder()
        .setPublicKey(ByteString.copyFrom(signature.publicKey()))
        .setName(signature.name())
        .setSeq(signature.seq())
        .setValue(ByteString.copyFrom(record.valueUnsafe()))
        .setExpiresAt(encode(record.expiresAt()))
        .setTombstone(record.isTombstone())
        .setSignature(ByteString.copyFrom(signature.signature()))
        .build();
  }

  static StoreResponse encode(StoreResult result, ResponseHeader header) {
    StoreResponse.Builder response = StoreResponse.newBuilder()
        .setHeader(header)
        .setStored(result.stored())
        .setHeldSeq(result.heldSeq());
    if (result.newerHeld() != null) {
      response.setHeld(encode(result.newerHeld()));
    }
    result.closer().forEach(c -> response.addCloser(encode(c)));
    return response.build();
  }

  /**
   * A STORE answer; {@code held} and {@code held_seq} are read only when the callee did not store
   * the record, and only one of them.
   */
  static StoreResult decode(StoreResponse response) {
    return storeResult(response).withCloser(closer(response));
  }

  private static StoreResult storeResult(StoreResponse response) {
    if (response.getStored()) {
      return StoreResult.STORED;
    }
    if (response.getHeldSeq() != 0) {
      if (response.hasHeld()) {
        throw new WireFormatException("held and held_seq must not both be set");
      }
      return StoreResult.signedHeld(seq(response.getHeldSeq(), "held_seq"));
    }
    return StoreResult.notStored(response.hasHeld() ? decode(response.getHeld(), "held") : null);
  }

  /** A STORE answer's closer contacts, each well-formed; what they claim the writer checks. */
  private static List<Contact> closer(StoreResponse response) {
    if (response.getCloserCount() == 0) return List.of();
    List<Contact> out = new ArrayList<>(response.getCloserCount());
    for (int i = 0; i < response.getCloserCount(); i++) {
      out.add(decode(response.getCloser(i), "closer[" + i + "]"));
    }
    return out;
  }

  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 61) + "...";
  }
}
