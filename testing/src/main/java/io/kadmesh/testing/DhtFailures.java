package io.kadmesh.testing;

import io.kadmesh.client.KadmeshException;
import io.kadmesh.core.DhtException;
import io.kadmesh.core.DhtException.Reason;

/**
 * The one place where a gRPC mesh turns a client's failure back into the core's DhtException, so
 * that a failed operation looks the same on every mesh. The reverse of the server's StatusMapper.
 */
final class DhtFailures {
  private DhtFailures() {}

  /**
   * The DhtException of the status the node (or the client's transport) answered; a status no
   * reason stands for (INTERNAL, UNKNOWN, ...) breaks the node's error contract and is thrown as it is.
   */
  static RuntimeException of(KadmeshException e) {
    Reason reason = switch (e.code()) {
      case INVALID_ARGUMENT -> Reason.INVALID_ARGUMENT;
      case RESOURCE_EXHAUSTED -> Reason.RESOURCE_EXHAUSTED;
      case UNAVAILABLE -> Reason.UNAVAILABLE;
      case FAILED_PRECONDITION -> Reason.FAILED_PRECONDITION;
      case DEADLINE_EXCEEDED -> Reason.DEADLINE_EXCEEDED;
      default -> null;
    };
    return reason == null ? e : new DhtException(reason, e.description());
  }
}
