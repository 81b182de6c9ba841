package io.kadmesh.server.grpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.mesh.DrainReport;
import io.kadmesh.core.mesh.NodeDrain;
import io.kadmesh.core.node.HeldRecord;
import io.kadmesh.core.node.InventoryPage;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.routing.ContactView;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.ContactInfo;
import io.kadmesh.proto.v1.DrainRequest;
import io.kadmesh.proto.v1.DrainResponse;
import io.kadmesh.proto.v1.ListContactsRequest;
import io.kadmesh.proto.v1.ListContactsResponse;
import io.kadmesh.proto.v1.ListRecordsRequest;
import io.kadmesh.proto.v1.ListRecordsResponse;
import io.kadmesh.proto.v1.RecordInfo;
import io.grpc.Context;
import io.grpc.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Serves the operator's API (kadmesh.v1.Admin) on the API port: the node's inventory, its routing
 * table, and drain. Decodes the request, asks the node, encodes the answer.
 */
final class AdminService extends AdminGrpc.AdminImplBase {
  /** Records a ListRecords page holds when the caller names no page_size. */
  static final int DEFAULT_PAGE_SIZE = 100;
  /** The most records a ListRecords page holds. */
  static final int MAX_PAGE_SIZE = 1000;

  private final KademliaNode node;
  private final NodeDrain drain;

  AdminService(KademliaNode node, NodeDrain drain) {
    this.node = node;
    this.drain = drain;
  }

  @Override
  public void listRecords(ListRecordsRequest request, StreamObserver<ListRecordsResponse> observer) {
    Responder.answer(observer, () -> {
      int size = pageSize(request.getPageSize());
      InventoryPage page = node.inventory(PageTokens.decode(request.getPageToken()), size);
      ListRecordsResponse.Builder out = ListRecordsResponse.newBuilder()
          .setTotal(page.total())
          .setNextPageToken(PageTokens.encode(page.next()));
      for (HeldRecord held : page.records()) {
        out.addRecords(encode(held));
      }
      return out.build();
    });
  }

  @Override
  public void listContacts(ListContactsRequest request,
      StreamObserver<ListContactsResponse> observer) {
    Responder.answer(observer, () -> {
      ListContactsResponse.Builder out = ListContactsResponse.newBuilder();
      for (ContactView c : node.contactViews()) {
        ContactInfo.Builder info = ContactInfo.newBuilder()
            .setNodeId(ProtoCodec.encode(c.contact().id()))
            .setAddress(c.contact().address())
            .setBucket(c.bucket())
            .setFailures(c.failures())
            .setStale(c.stale())
            .setReplacement(c.replacement());
        if (c.lastSeen() != null) info.setLastSeenAt(ProtoCodec.encode(c.lastSeen()));
        out.addContacts(info);
      }
      return out.build();
    });
  }

  @Override
  public void drain(DrainRequest request, StreamObserver<DrainResponse> observer) {
    Responder.answerAsync(observer, () -> drain.drain(budget()).thenApply(AdminService::encode));
  }

  /**
   * How long a drain may take: twice the node's operation timeout (withdrawals, then the
   * hand-off), or less, so that the answer still reaches a caller whose deadline is shorter.
   */
  private Duration budget() {
    Duration own = node.config().operationTimeout().multipliedBy(2);
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) return own;
    // A tenth is kept back for the answer's way home.
    Duration fits = Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS) / 10 * 9);
    if (fits.isNegative() || fits.isZero()) {
      throw DhtException.deadlineExceeded("the caller's deadline passed before the drain started");
    }
    return fits.compareTo(own) < 0 ? fits : own;
  }

  /** 0 means the default; over the limit is refused rather than cut, so a caller is never misled. */
  private static int pageSize(int requested) {
    if (requested == 0) return DEFAULT_PAGE_SIZE;
    // uint32 on the wire: a value above 2^31 arrives negative.
    if (requested < 0 || requested > MAX_PAGE_SIZE) {
      throw DhtException.invalid("page_size is " + Integer.toUnsignedString(requested)
          + ", the limit is " + MAX_PAGE_SIZE);
    }
    return requested;
  }

  private static RecordInfo encode(HeldRecord held) {
    ValueRecord r = held.record();
    RecordInfo.Builder info = RecordInfo.newBuilder()
        .setKey(ProtoCodec.encode(r.key()))
        .setKind(ProtoCodec.encode(r.kind()))
        .setValueBytes(r.valueSize())
        .setStoredBytes(r.storedBytes())
        .setVersion(ProtoCodec.encode(r.version()))
        .setExpiresAt(ProtoCodec.encode(r.expiresAt()))
        .setTombstone(r.isTombstone())
        .setReadCount(held.reads().count());
    if (!ValueRecord.isSignedKind(r.kind())) {
      info.setWrittenAt(ProtoCodec.encode(microsToInstant(r.version().sequence())));
    } else {
      info.setName(r.signature().name())
          .setPublicKey(ByteString.copyFrom(r.signature().publicKey()));
    }
    if (held.reads().lastReadAt() != null) {
      info.setLastReadAt(ProtoCodec.encode(held.reads().lastReadAt()));
    }
    return info.build();
  }

  /** A plain or content version's sequence is microseconds since the epoch on the writer's clock. */
  private static Instant microsToInstant(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
        Math.floorMod(micros, 1_000_000L) * 1_000L);
  }

  private static DrainResponse encode(DrainReport report) {
    return DrainResponse.newBuilder()
        .setRecordsHeld(report.recordsHeld())
        .setRecordsHandedOff(report.recordsHandedOff())
        .setAnnouncementsWithdrawn(report.announcementsWithdrawn())
        .setAlreadyDrained(report.alreadyDrained())
        .setTimedOut(report.timedOut())
        .build();
  }
}
