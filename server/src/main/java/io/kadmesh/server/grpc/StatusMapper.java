package io.kadmesh.server.grpc;

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
 * The one mapping from the node's failures to gRPC status, so that no caller ever sees UNKNOWN
 * for what it sent. A failure that is a bug of ours is logged with its stack and answered
 * INTERNAL with no stack in the message.
 */
final class StatusMapper {
  private static final Logger log = LoggerFactory.getLogger(StatusMapper.class);

  private StatusMapper() {}

  static StatusException toStatusException(Throwable failure) {
    return toStatus(failure).asException();
  }

  static Status toStatus(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof DhtException e) {
      return switch (e.reason()) {
        case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        case RESOURCE_EXHAUSTED -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage());
        case UNAVAILABLE -> Status.UNAVAILABLE.withDescription(e.getMessage());
        case FAILED_PRECONDITION -> Status.FAILED_PRECONDITION.withDescription(e.getMessage());
        case DEADLINE_EXCEEDED -> Status.DEADLINE_EXCEEDED.withDescription(e.getMessage());
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
