package io.kadmesh.server.grpc;

import static io.kadmesh.server.grpc.PeerMessages.bytes;
import static io.kadmesh.server.grpc.PeerMessages.timestamp;
import static io.kadmesh.server.grpc.StatusAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.Status.Code;
import io.kadmesh.core.NodeConfig;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.SignedRecords;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.FindValueResponse;
import io.kadmesh.proto.v1.GetContentRequest;
import io.kadmesh.proto.v1.GetContentResponse;
import io.kadmesh.proto.v1.GetSignedRequest;
import io.kadmesh.proto.v1.GetSignedResponse;
import io.kadmesh.proto.v1.PeerRecord;
import io.kadmesh.proto.v1.PutContentRequest;
import io.kadmesh.proto.v1.PutContentResponse;
import io.kadmesh.proto.v1.PutSignedRequest;
import io.kadmesh.proto.v1.PutSignedResponse;
import io.kadmesh.proto.v1.RecordKind;
import io.kadmesh.proto.v1.Signature;
import io.kadmesh.proto.v1.SignedRecord;
import io.kadmesh.records.RecordKeys;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PutSigned, GetSigned, PutContent and GetContent over gRPC, and signed records on the peer port. */
class SignedAndContentServiceTest {
  @RegisterExtension final TestNodes nodes = new TestNodes();
  private final SignedRecords owner = new SignedRecords();

  private static Instant expiry() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(Duration.ofHours(1));
  }

  private SignedRecord signed(String name, long seq, String value) {
    return ProtoCodec.encodeSigned(owner.value(name, seq, value.getBytes(), expiry()));
  }

  private static PutSignedRequest put(SignedRecord record) {
    return PutSignedRequest.newBuilder().setRecord(record).build();
  }

  private GetSignedRequest get(String name) {
    return GetSignedRequest.newBuilder().setPublicKey(ByteString.copyFrom(owner.publicKey()))
        .setName(name).build();
  }

  // ---- PutSigned, GetSigned ------------------------------------------------------------------------

  @Test
  void putSigned_thenGetSigned_answersTheRecordWithItsSignature_underSha256OfKeyAndName() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));
    SignedRecord record = signed("profile", 1, "hello");

    PutSignedResponse put = dht.putSigned(put(record));
    GetSignedResponse got = dht.getSigned(get("profile"));

    assertThat(put.getReplicas()).isEqualTo(1);
    assertThat(put.getKey().toByteArray()).isEqualTo(RecordKeys.signedKey(owner.publicKey(), "profile"));
    assertThat(got.getFound()).isTrue();
    assertThat(got.getRecord()).isEqualTo(record);
    assertThat(dht.getSigned(get("absent"))).isEqualTo(GetSignedResponse.getDefaultInstance());
  }

  @Test
  void putSigned_withAnExpectedSeqThatIsNotTheNewest_failsPrecondition_withTheSeqFoundInATrailer() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));
    dht.putSigned(put(signed("cas", 1, "one")).toBuilder().setExpectedSeq(0).build());

    Status status = assertFails(() -> dht.putSigned(
            put(signed("cas", 2, "two")).toBuilder().setExpectedSeq(0).build()),
        Code.FAILED_PRECONDITION, "expected_seq is 0 but the newest record of the key has seq 1");
    Metadata trailers = Status.trailersFromThrowable(Assertions.catchThrowable(() -> dht.putSigned(
        put(signed("cas", 2, "two")).toBuilder().setExpectedSeq(5).build())));

    assertThat(status.getCode()).isEqualTo(Code.FAILED_PRECONDITION);
    assertThat(trailers.get(StatusMapper.FOUND_SEQ)).isEqualTo("1");
    assertThat(dht.putSigned(put(signed("cas", 2, "two")).toBuilder().setExpectedSeq(1).build())
        .getReplicas()).isEqualTo(1);
    assertThat(dht.getSigned(get("cas")).getRecord().getSeq()).isEqualTo(2);
  }

  @Test
  void putSigned_ofALowerSeq_isAborted_namingTheSeqHeld() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));
    dht.putSigned(put(signed("k", 5, "five")));

    assertFails(() -> dht.putSigned(put(signed("k", 4, "four"))), Code.ABORTED, "seq 5");
  }

  @Test
  void getSigned_ofASignedDelete_answersTheTombstone_notFound() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));
    dht.putSigned(put(signed("gone", 1, "v")));
    dht.putSigned(put(ProtoCodec.encodeSigned(owner.tombstone("gone", 2, expiry()))));

    GetSignedResponse got = dht.getSigned(get("gone"));

    assertThat(got.getFound()).isFalse();
    assertThat(got.getRecord().getTombstone()).isTrue();
    assertThat(got.getRecord().getSeq()).isEqualTo(2);
  }

  @Test
  void putSigned_ofAMalformedRecord_isInvalid_namingTheField() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));
    SignedRecord good = signed("n", 1, "v");

    assertFails(() -> dht.putSigned(PutSignedRequest.getDefaultInstance()), Code.INVALID_ARGUMENT,
        "record is required");
    assertFails(() -> dht.putSigned(put(good.toBuilder().setPublicKey(ByteString.copyFrom(new byte[31]))
        .build())), Code.INVALID_ARGUMENT, "record.public_key must be 32 bytes");
    assertFails(() -> dht.putSigned(put(good.toBuilder().setName("").build())),
        Code.INVALID_ARGUMENT, "record.name must be 1 to 1024 bytes");
    assertFails(() -> dht.putSigned(put(good.toBuilder().setSeq(0).build())),
        Code.INVALID_ARGUMENT, "record.seq must be 1 to 2^63-1");
    assertFails(() -> dht.putSigned(put(good.toBuilder().setSeq(-1).build())),
        Code.INVALID_ARGUMENT, "record.seq must be 1 to 2^63-1", "18446744073709551615");
    assertFails(() -> dht.putSigned(put(good).toBuilder().setExpectedSeq(-1).build()),
        Code.INVALID_ARGUMENT, "expected_seq must be 0 to 2^63-1", "18446744073709551615");
    assertFails(() -> dht.putSigned(put(good.toBuilder().clearExpiresAt().build())),
        Code.INVALID_ARGUMENT, "record.expires_at is required");
    assertFails(() -> dht.putSigned(put(good.toBuilder()
            .setExpiresAt(timestamp(expiry().plusMillis(1))).build())),
        Code.INVALID_ARGUMENT, "record.expires_at must be whole seconds in the future, at most");
    assertFails(() -> dht.putSigned(put(good.toBuilder()
            .setExpiresAt(timestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5)))
            .build())),
        Code.INVALID_ARGUMENT, "record.expires_at must be whole seconds in the future");
    assertFails(() -> dht.putSigned(put(good.toBuilder().setValue(ByteString.copyFromUtf8("w"))
        .build())), Code.INVALID_ARGUMENT, "record.signature does not verify for public key");
    assertFails(() -> dht.putSigned(put(good.toBuilder().setTombstone(true).build())),
        Code.INVALID_ARGUMENT, "record.value must be empty for a tombstone");
  }

  @Test
  void getSigned_ofAMalformedKeyOrName_isInvalid_namingTheField() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));

    assertFails(() -> dht.getSigned(get("n").toBuilder().setPublicKey(ByteString.EMPTY).build()),
        Code.INVALID_ARGUMENT, "public_key must be 32 bytes");
    assertFails(() -> dht.getSigned(get("")), Code.INVALID_ARGUMENT, "name must be 1 to 1024 bytes");
    assertFails(() -> dht.getSigned(get("x".repeat(1025))), Code.INVALID_ARGUMENT,
        "name must be 1 to 1024 bytes", "got 1025");
  }

  // ---- PutContent, GetContent ---------------------------------------------------------------------

  @Test
  void putContent_thenGetContent_answersTheValueUnderItsHash() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));
    ByteString value = ByteString.copyFromUtf8("immutable");

    PutContentResponse put = dht.putContent(PutContentRequest.newBuilder().setValue(value).build());
    GetContentResponse got = dht.getContent(GetContentRequest.newBuilder().setKey(put.getKey()).build());

    assertThat(put.getKey().toByteArray()).isEqualTo(RecordKeys.contentKey(value.toByteArray()));
    assertThat(put.getReplicas()).isEqualTo(1);
    assertThat(got.getFound()).isTrue();
    assertThat(got.getValue()).isEqualTo(value);
    assertThat(got.getExpiresAt()).isEqualTo(put.getExpiresAt());
    assertThat(dht.getContent(GetContentRequest.newBuilder()
        .setKey(bytes(NodeId.ofKey("nothing"))).build())).isEqualTo(GetContentResponse.getDefaultInstance());
  }

  @Test
  void getContent_ofAKeyThatIsNot32Bytes_andPutContent_ofABadTtl_areInvalid() {
    DhtGrpc.DhtBlockingStub dht = nodes.dht(nodes.start(NodeConfig.defaults()));

    assertFails(() -> dht.getContent(GetContentRequest.newBuilder()
        .setKey(ByteString.copyFrom(new byte[31])).build()), Code.INVALID_ARGUMENT, "key must be 32 bytes");
    assertFails(() -> dht.putContent(PutContentRequest.newBuilder()
            .setTtl(com.google.protobuf.Duration.newBuilder().setSeconds(-1)).build()),
        Code.INVALID_ARGUMENT, "ttl");
  }

  // ---- the peer port ------------------------------------------------------------------------------

  @Test
  void aPlainRecordStoredUnderASignedKey_isNeverServedAsSigned_norTheSignedOneAsPlain() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    DhtGrpc.DhtBlockingStub dht = nodes.dht(node);
    dht.putSigned(put(signed("name", 1, "signed")));
    NodeId key = owner.key("name");

    assertThat(nodes.kademlia(node).store(PeerMessages.store(PeerMessages.toolHeader(),
        PeerMessages.record(key, "squatter", 1, NodeId.ofKey("writer")))).getStored()).isTrue();
    FindValueResponse signedAnswer = nodes.kademlia(node).findValue(PeerMessages
        .findValue(PeerMessages.toolHeader(), key).toBuilder().setKind(RecordKind.RECORD_KIND_SIGNED).build());
    FindValueResponse plainAnswer = nodes.kademlia(node).findValue(
        PeerMessages.findValue(PeerMessages.toolHeader(), key));

    assertThat(dht.getSigned(get("name")).getRecord().getValue().toStringUtf8()).isEqualTo("signed");
    assertThat(signedAnswer.getRecord().getKind()).isEqualTo(RecordKind.RECORD_KIND_SIGNED);
    assertThat(signedAnswer.getRecord().hasVersion()).isFalse();
    assertThat(signedAnswer.getRecord().getSignature().getSeq()).isEqualTo(1);
    assertThat(plainAnswer.getRecord().getKind()).isEqualTo(RecordKind.RECORD_KIND_UNSPECIFIED);
    assertThat(plainAnswer.getRecord().getValue().toStringUtf8()).isEqualTo("squatter");
  }

  @Test
  void store_ofASignedRecordWithoutProof_orAProofOnAnotherKind_orAForgery_isInvalid() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    ValueRecord genuine = owner.value("n", 1, "v".getBytes(), expiry());
    PeerRecord wire = ProtoCodec.encode(genuine);
    NodeId contentKey = NodeId.ofKey("not the hash");
    PeerRecord plain = PeerMessages.record(contentKey, "v", 1, NodeId.ofKey("w"));

    assertInvalidStore(node, wire.toBuilder().clearSignature().build(), "record.signature is required");
    assertInvalidStore(node, plain.toBuilder().setSignature(wire.getSignature()).build(),
        "record.signature must be unset");
    assertInvalidStore(node, wire.toBuilder().setVersion(plain.getVersion()).build(),
        "record.version must be unset for a signed record");
    assertInvalidStore(node, wire.toBuilder().setSignature(wire.getSignature().toBuilder()
        .setSignature(ByteString.copyFrom(new byte[64]))).build(), "record.signature does not verify");
    assertInvalidStore(node, wire.toBuilder().setSignature(Signature.newBuilder(wire.getSignature())
        .setSeq(-1)).build(), "record.signature.seq must be 1 to 2^63-1");
    assertInvalidStore(node, plain.toBuilder().setKind(RecordKind.RECORD_KIND_CONTENT).build(),
        "record.key is not SHA-256(value)");
    assertInvalidStore(node, plain.toBuilder().setKind(RecordKind.RECORD_KIND_CONTENT)
        .setTombstone(true).setValue(ByteString.EMPTY).build(), "record.tombstone must be false");
    assertInvalidStore(node, plain.toBuilder().setKindValue(7).build(), "record.kind");
    assertThat(node.node().store().recordCount()).isZero();
    assertThat(nodes.kademlia(node).store(PeerMessages.store(PeerMessages.toolHeader(), wire))
        .getStored()).isTrue();
  }

  private void assertInvalidStore(KadmeshServer node, PeerRecord record, String message) {
    assertFails(() -> nodes.kademlia(node).store(PeerMessages.store(PeerMessages.toolHeader(), record)),
        Code.INVALID_ARGUMENT, message);
  }

  @Test
  void store_ofALowerSignedSeq_answersHeldSeq_andNoVersion() {
    KadmeshServer node = nodes.start(NodeConfig.defaults());
    nodes.dht(node).putSigned(put(signed("n", 3, "three")));

    var answer = nodes.kademlia(node).store(PeerMessages.store(PeerMessages.toolHeader(),
        ProtoCodec.encode(owner.value("n", 2, "two".getBytes(), expiry()))));

    assertThat(answer.getStored()).isFalse();
    assertThat(answer.getHeldSeq()).isEqualTo(3);
    assertThat(answer.hasHeld()).isFalse();
  }
}
