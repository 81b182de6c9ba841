package io.kadmesh.client.testing;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.ContactInfo;
import io.kadmesh.proto.v1.DrainRequest;
import io.kadmesh.proto.v1.DrainResponse;
import io.kadmesh.proto.v1.ListContactsRequest;
import io.kadmesh.proto.v1.ListContactsResponse;
import io.kadmesh.proto.v1.ListRecordsRequest;
import io.kadmesh.proto.v1.ListRecordsResponse;
import io.kadmesh.proto.v1.RecordInfo;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Admin service over fixed answers: records paged as a node pages them (tokens "at-N", the
 * index of the next record; page_size 0 means 100, over 1000 is refused), contacts, a drain
 * report; with a knob for failures. Remembers the requests it got.
 */
public final class FakeAdmin extends AdminGrpc.AdminImplBase {
  private volatile List<RecordInfo> records = List.of();
  private volatile List<ContactInfo> contacts = List.of();
  private volatile DrainResponse drain = DrainResponse.getDefaultInstance();
  private volatile Status failure;
  public final List<ListRecordsRequest> recordRequests = new CopyOnWriteArrayList<>();
  public final AtomicInteger drains = new AtomicInteger();

  public void records(List<RecordInfo> v) { records = List.copyOf(v); }
  public void contacts(List<ContactInfo> v) { contacts = List.copyOf(v); }
  public void drain(DrainResponse v) { drain = v; }
  /** Every call fails with {@code status} from now on (null: answers again). */
  public void failWith(Status status) { failure = status; }

  @Override
  public void listRecords(ListRecordsRequest request, StreamObserver<ListRecordsResponse> out) {
    recordRequests.add(request);
    if (failure != null) {
      out.onError(failure.asRuntimeException());
      return;
    }
    int size = request.getPageSize() == 0 ? 100 : request.getPageSize();
    if (size > 1000) {
      out.onError(Status.INVALID_ARGUMENT
          .withDescription("page_size is " + size + ", the limit is 1000").asRuntimeException());
      return;
    }
    int from;
    try {
      from = request.getPageToken().isEmpty() ? 0
          : Integer.parseInt(request.getPageToken().substring("at-".length()));
    } catch (RuntimeException e) {
      out.onError(Status.INVALID_ARGUMENT.withDescription("page_token is not a next_page_token a "
          + "ListRecords answer gave").asRuntimeException());
      return;
    }
    List<RecordInfo> all = records;
    int to = Math.min(all.size(), from + size);
    out.onNext(ListRecordsResponse.newBuilder()
        .addAllRecords(all.subList(Math.min(from, to), to))
        .setNextPageToken(to < all.size() ? "at-" + to : "")
        .setTotal(all.size())
        .build());
    out.onCompleted();
  }

  @Override
  public void listContacts(ListContactsRequest request, StreamObserver<ListContactsResponse> out) {
    if (failure != null) {
      out.onError(failure.asRuntimeException());
      return;
    }
    out.onNext(ListContactsResponse.newBuilder().addAllContacts(contacts).build());
    out.onCompleted();
  }

  @Override
  public void drain(DrainRequest request, StreamObserver<DrainResponse> out) {
    drains.incrementAndGet();
    if (failure != null) {
      out.onError(failure.asRuntimeException());
      return;
    }
    out.onNext(drain);
    out.onCompleted();
  }
}
