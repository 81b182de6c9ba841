package io.kadmesh.client;

import io.grpc.Metadata;
import io.grpc.Status;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A failed call to a kadmesh node: the gRPC status code and the node's (or the transport's) message.
 *
 * <p>{@link #from(Throwable)} is the one place where gRPC failures become this type.
 */
public final class KadmeshException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The trailer in which a node gives the seq it found when a signed compare-and-swap fails. */
  static final Metadata.Key<String> FOUND_SEQ =
      Metadata.Key.of("kadmesh-found-seq", Metadata.ASCII_STRING_MARSHALLER);

  private static final long NO_SEQ = -1;

  private final Status.Code code;
  private final String description;
  private final boolean transportFailure;
  private final boolean unverifiedAnswer;
  private final long foundSeq;

  private KadmeshException(
      Status status, Throwable cause, boolean unverifiedAnswer, Metadata trailers) {
    super(messageOf(status), cause);
    this.code = status.getCode();
    this.description = Objects.requireNonNullElse(status.getDescription(), "");
    // A status the node sent has no cause; one the client's transport made (refused connection,
    // broken stream) carries the I/O error that produced it.
    this.transportFailure = status.getCause() != null;
    this.unverifiedAnswer = unverifiedAnswer;
    this.foundSeq = code == Status.Code.FAILED_PRECONDITION ? foundSeqOf(trailers) : NO_SEQ;
  }

  /** Turns any failure of a gRPC call (StatusRuntimeException, StatusException, …) into one. */
  public static KadmeshException from(Throwable failure) {
    Objects.requireNonNull(failure, "failure");
    if (failure instanceof KadmeshException known) {
      return known;
    }
    return new KadmeshException(
        Status.fromThrowable(failure), failure, false, Status.trailersFromThrowable(failure));
  }

  /**
   * An answer that failed the client's own checks (a signature, a key, a content hash), as
   * DATA_LOSS: the node, or a peer behind it, forged or corrupted the record, which is withheld.
   */
  static KadmeshException unverified(String description) {
    return new KadmeshException(Status.DATA_LOSS.withDescription(description), null, true, null);
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
   *
   * <p>For a signed record it means that replicas hold a seq as high or higher: {@link
   * SignedRecords#put} and {@link SignedRecords#delete} read the newest seq again when repeated, so
   * they too write over it.
   */
  public boolean isLostToNewerVersion() {
    return code == Status.Code.ABORTED;
  }

  /**
   * True when a signed compare-and-swap found another seq than the one it expected
   * (FAILED_PRECONDITION with the seq found): another write came first. {@link #foundSeq} says
   * which seq to expect, after reading what it holds.
   */
  public boolean isSeqMismatch() {
    return foundSeq != NO_SEQ;
  }

  /** The seq a failed signed compare-and-swap found (0: no record); empty for other failures. */
  public OptionalLong foundSeq() {
    return foundSeq == NO_SEQ ? OptionalLong.empty() : OptionalLong.of(foundSeq);
  }

  /**
   * True when the node answered with a record that failed the client's own checks: a signature
   * that does not verify, another key or name than asked for, a value that does not hash to its
   * content key. The forged value is never returned.
   */
  public boolean isUnverifiedAnswer() {
    return unverifiedAnswer;
  }

  /** True when the client could not talk to the node at all, rather than the node answering. */
  public boolean isTransportFailure() {
    return transportFailure;
  }

  private static long foundSeqOf(Metadata trailers) {
    String seq = trailers == null ? null : trailers.get(FOUND_SEQ);
    if (seq == null) {
      return NO_SEQ;
    }
    try {
      long parsed = Long.parseLong(seq.strip());
      return parsed < 0 ? NO_SEQ : parsed;
    } catch (NumberFormatException e) {
      return NO_SEQ;
    }
  }

  private static String messageOf(Status status) {
    String description = status.getDescription();
    return description == null || description.isEmpty()
        ? status.getCode().name()
        : status.getCode() + ": " + description;
  }
}
