package io.kadmesh.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.kadmesh.client.testing.FakeAdmin;
import io.kadmesh.client.testing.InProcessNode;
import io.kadmesh.proto.v1.ContactInfo;
import io.kadmesh.proto.v1.DrainResponse;
import io.kadmesh.proto.v1.RecordInfo;
import io.kadmesh.proto.v1.RecordKind;
import io.kadmesh.proto.v1.Version;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's Admin calls against a fake Admin service: conversions and failures. */
class AdminCallsTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  private final FakeAdmin admin = new FakeAdmin();
  private InProcessNode node;
  private KadmeshClient client;

  @BeforeEach
  void serve() {
    node = InProcessNode.serve(admin);
    ManagedChannel channel = node.newChannel();
    client = KadmeshClient.over(channel);
  }

  @AfterEach
  void stop() {
    client.close();
    node.close();
  }

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).build();
  }

  @Test
  void listRecords_convertsEachRecord_andTheNextPageToken() {
    byte[] publicKey = new byte[32];
    publicKey[0] = 7;
    admin.records(List.of(
        RecordInfo.newBuilder().setKey(ByteString.copyFrom(new byte[32]))
            .setKind(RecordKind.RECORD_KIND_SIGNED).setValueBytes(5).setStoredBytes(200)
            .setVersion(Version.newBuilder().setSequence(3).setWriterId(ByteString.copyFrom(new byte[32])))
            .setExpiresAt(ts(T)).setLastReadAt(ts(T.minusSeconds(1))).setReadCount(9)
            .setName("profile").setPublicKey(ByteString.copyFrom(publicKey)).build(),
        RecordInfo.newBuilder().setKey(ByteString.copyFrom(new byte[32])).build()));

    RecordPage page = client.listRecords(1, "");

    assertThat(page.total()).isEqualTo(2);
    assertThat(page.hasNext()).isTrue();
    RecordSummary r = page.records().get(0);
    assertThat(r.kind()).isEqualTo("signed");
    assertThat(r.version().sequence()).isEqualTo(3);
    assertThat(r.readCount()).isEqualTo(9);
    assertThat(r.lastReadAt()).isEqualTo(T.minusSeconds(1));
    assertThat(r.writtenAt()).isNull();
    assertThat(r.name()).isEqualTo("profile");
    assertThat(r.publicKeyHex()).startsWith("07").hasSize(64);
    RecordPage last = client.listRecords(1, page.nextPageToken());
    assertThat(last.hasNext()).isFalse();
    assertThat(last.records().get(0).kind()).isEqualTo("plain");
  }

  @Test
  void listRecords_refused_throwsTheOneExceptionTypeWithTheNodesMessage() {
    KadmeshException e = catchThrowableOfType(() -> client.listRecords(5000, ""),
        KadmeshException.class);

    assertThat(e.code()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.description()).isEqualTo("page_size is 5000, the limit is 1000");
  }

  @Test
  void listContacts_convertsEachContact_leavingAnUnknownLastContactNull() {
    admin.contacts(List.of(ContactInfo.newBuilder().setNodeId(ByteString.copyFrom(new byte[32]))
        .setAddress("10.0.0.1:7701").setBucket(4).setFailures(2).setReplacement(true).build()));

    RoutingContact c = client.listContacts().get(0);

    assertThat(c).isEqualTo(new RoutingContact("00".repeat(32), "10.0.0.1:7701", 4, null, 2, false,
        true));
  }

  @Test
  void drain_answersWhatTheNodeReported() {
    admin.drain(DrainResponse.newBuilder().setRecordsHeld(3).setRecordsHandedOff(2)
        .setAnnouncementsWithdrawn(1).setTimedOut(true).build());

    assertThat(client.drain()).isEqualTo(new DrainResult(3, 2, 1, false, true));
  }
}
