package io.kadmesh.core;

import java.util.OptionalLong;

/**
 * A failure the caller of a DHT operation should see, by reason. The gRPC layer maps each reason to
 * one status code in one place; the message names the field and the limit where there is one.
 */
public final class DhtException extends RuntimeException {
  /** Why an operation failed. */
  public enum Reason {
    /** The request breaks a limit or is malformed. */
    INVALID_ARGUMENT,
    /** A size limit, quota or rate limit was hit. */
    RESOURCE_EXHAUSTED,
    /** No live node could serve the operation. */
    UNAVAILABLE,
    /** The peer belongs to another network or speaks another protocol version. */
    FAILED_PRECONDITION,
    /** The operation's deadline passed before it finished. */
    DEADLINE_EXCEEDED,
    /**
     * A write lost to a newer version of its key that another writer made: retrying writes over
     * it, because this node's version clock has moved past the version it lost to.
     */
    CONFLICT,
    /**
     * A compare-and-swap of a signed record found another seq than the one expected: nothing was
     * written; {@link #foundSeq()} is the seq found (0: none).
     */
    SEQ_MISMATCH,
    /** What the operation names does not exist here (an endpoint this node does not announce). */
    NOT_FOUND
  }

  private final Reason reason;
  private final long foundSeq;

  public DhtException(Reason reason, String message) {
    this(reason, message, -1);
  }

  private DhtException(Reason reason, String message, long foundSeq) {
    super(message, null, false, false);
    this.reason = reason;
    this.foundSeq = foundSeq;
  }

  public Reason reason() {
    return reason;
  }

  /** For {@link Reason#SEQ_MISMATCH}: the seq of the newest record found (0: none); else empty. */
  public OptionalLong foundSeq() {
    return foundSeq < 0 ? OptionalLong.empty() : OptionalLong.of(foundSeq);
  }

  /** A compare-and-swap that expected {@code expected} but found {@code found} (0: no record). */
  public static DhtException seqMismatch(long expected, long found) {
    return new DhtException(Reason.SEQ_MISMATCH, "expected_seq is " + Long.toUnsignedString(expected)
        + " but the newest record of the key has seq " + found, found);
  }

  public static DhtException invalid(String message) {
    return new DhtException(Reason.INVALID_ARGUMENT, message);
  }

  public static DhtException exhausted(String message) {
    return new DhtException(Reason.RESOURCE_EXHAUSTED, message);
  }

  public static DhtException unavailable(String message) {
    return new DhtException(Reason.UNAVAILABLE, message);
  }

  public static DhtException refused(String message) {
    return new DhtException(Reason.FAILED_PRECONDITION, message);
  }

  public static DhtException deadlineExceeded(String message) {
    return new DhtException(Reason.DEADLINE_EXCEEDED, message);
  }

  public static DhtException notFound(String message) {
    return new DhtException(Reason.NOT_FOUND, message);
  }

  public static DhtException conflict(String message) {
    return new DhtException(Reason.CONFLICT, message);
  }
}
