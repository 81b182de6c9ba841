package io.kadmesh.client;

import io.grpc.Status;
import java.util.Objects;

/**
 * A failed call to a kadmesh node: the gRPC status code and the node's (or the transport's) message.
 *
 * <p>{@link #from(Throwable)} is the one place where gRPC failures become this type.
 */
public final class KadmeshException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final Status.Code code;
  private final String description;
  private final boolean transportFailure;

  private KadmeshException(Status status, Throwable cause) {
    super(messageOf(status), cause);
    this.code = status.getCode();
    this.description = Objects.requireNonNullElse(status.getDescription(), "");
    // A status the node sent has no cause; one the client's transport made (refused connection,
    // broken stream) carries the I/O error that produced it.
    this.transportFailure = status.getCause() != null;
  }

  /** Turns any failure of a gRPC call (StatusRuntimeException, StatusException, …) into one. */
  public static KadmeshException from(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    if (failure instanceof KadmeshException known) {
      return known;
    }
    return new KadmeshException(Status.fromThrowable(failure), failure);
  }

  /** The gRPC status code, e.g. INVALID_ARGUMENT or UNAVAILABLE. */
  public Status.Code code() {
    return code;
  }

  /** The message that came with the status, without the code; empty when there was none. */
  public String description() {
    return description;
  }

  /**
   * True when a put or delete lost to a newer version of its key written elsewhere (ABORTED). The
   * node has moved its version clock past that version, so repeating the call writes over it;
   * whether to is the caller's choice, since the newer value is then lost.
   */
  public boolean isLostToNewerVersion() {
    return code == Status.Code.ABORTED;
  }

  /** True when the client could not talk to the node at all, rather than the node answering. */
  public boolean isTransportFailure() {
    return transportFailure;
  }

  private static String messageOf(Status status) {
    String description = status.getDescription();
    return description == null || description.isEmpty()
        ? status.getCode().name()
        : status.getCode() + ": " + description;
  }
}
