package io.kadmesh.server.grpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.kadmesh.core.DhtException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping each way between the core's failures ({@link DhtException}'s reasons) and gRPC
 * status. Toward callers: no caller ever sees UNKNOWN for what it sent, and a failure that is a
 * bug of ours is logged with its stack and answered INTERNAL with no stack in the message. From
 * peers (and for harnesses that drive nodes through their API): a status the core has a reason
 * for becomes that reason again.
 */
public final class StatusMapper {
  private static final Logger log = LoggerFactory.getLogger(StatusMapper.class);

  /**
   * The trailer a FAILED_PRECONDITION from a PutSigned compare-and-swap carries: the seq of the
   * newest record found, in ASCII decimal (0: none).
   */
  public static final Metadata.Key<String> FOUND_SEQ =
      Metadata.Key.of("kadmesh-found-seq", Metadata.ASCII_STRING_MARSHALLER);

  private StatusMapper() {}

  /**
   * The core's failure for {@code status}, its description prefixed by {@code context}; null for a
   * status the core has no reason for (OK, UNKNOWN, INTERNAL, CANCELLED, …).
   */
  public static DhtException toDhtException(Status status, String context) {
    String message = context + status.getDescription();
    return switch (status.getCode()) {
      case INVALID_ARGUMENT -> DhtException.invalid(message);
      case RESOURCE_EXHAUSTED -> DhtException.exhausted(message);
      case UNAVAILABLE -> DhtException.unavailable(message);
      case FAILED_PRECONDITION -> DhtException.refused(message);
      case DEADLINE_EXCEEDED -> DhtException.deadlineExceeded(message);
      case ABORTED -> DhtException.conflict(message);
      default -> null;
    };
  }

  /** The status for {@code failure}, with the trailers that go with it (see {@link #FOUND_SEQ}). */
  static StatusException toStatusException(Throwable failure) {
    Metadata trailers = new Metadata();
    if (unwrap(failure) instanceof DhtException e) {
      e.foundSeq().ifPresent(seq -> trailers.put(FOUND_SEQ, Long.toString(seq)));
    }
    return toStatus(failure).asException(trailers);
  }

  static Status toStatus(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof DhtException e) {
      return switch (e.reason()) {
        case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
        case UNAVAILABLE -> Status.UNAVAILABLE.withDescription(e.getMessage());
        case FAILED_PRECONDITION, SEQ_MISMATCH ->
            Status.FAILED_PRECONDITION.withDescription(e.getMessage());
        case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED.withDescription(e.getMessage());
        // ABORTED is gRPC's code for "lost a concurrency conflict, retry the whole operation".
        case CONFLICT -> Status.ABORTED.withDescription(e.getMessage());
        case NOT_FOUND -> Status.NOT_FOUND.withDescription(e.getMessage());
      };
    }
    if (t instanceof WireFormatException e) {
      return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
    }
    if (t instanceof StatusRuntimeException e) {
      return e.getStatus();
    }
    if (t instanceof StatusException e) {
      return e.getStatus();
    }
    if (t instanceof CancellationException) {
      return Status.CANCELLED.withDescription("the operation was cancelled");
    }
    log.error("unexpected failure while serving a call", t);
    return Status.INTERNAL.withDescription("internal error: " + t.getClass().getSimpleName());
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
