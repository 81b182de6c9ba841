package io.kadmesh.cli;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.kadmesh.client.KadmeshException;
import io.kadmesh.tls.TlsFileException;
import java.net.ConnectException;
import javax.net.ssl.SSLException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Reports a failed command as one line (code and message, no stack trace), and exits 3, or 4 for
 * a write that lost to a newer version or found another seq than {@code --expect-seq} ({@link
 * ExitCodes#CONFLICT}). A gRPC status that escapes a command (a raw stub call) reads as the client
 * library's would.
 */
final class FailureHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception failure, CommandLine command, ParseResult parsed) {
    OneLine.error(command.getErr(), describe(failure, command.getCommand()));
    KadmeshException status = asKadmeshException(failure);
    return status != null && (status.isLostToNewerVersion() || status.isSeqMismatch())
        ? ExitCodes.CONFLICT
        : ExitCodes.FAILURE;
  }

  static String describe(Exception failure, Object command) {
    if (failure instanceof TlsFileException) {
      return failure.getMessage();
    }
    KadmeshException status = asKadmeshException(failure);
    if (status != null) {
      return describe(status, command);
    }
    String message = failure.getMessage();
    return message == null || message.isBlank()
        ? failure.getClass().getSimpleName()
        : failure.getClass().getSimpleName() + ": " + message;
  }

  /** The failure as the client library's exception, or null when it is no gRPC status. */
  private static KadmeshException asKadmeshException(Exception failure) {
    return failure instanceof KadmeshException
            || failure instanceof StatusRuntimeException
            || failure instanceof StatusException
        ? KadmeshException.from(failure)
        : null;
  }

  /** What went wrong in a TLS handshake that failed the call, or null when none did. */
  private static String tlsFailure(Throwable failure) {
    if (!hasCause(failure, SSLException.class)) {
      return null;
    }
    Throwable root = failure;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage();
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  // gRPC's own texts for these two ("io exception", "deadline exceeded after 9.99s. [closed=…]")
  // do not tell a user what to do; the address and the deadline do.
  private static String describe(KadmeshException failure, Object command) {
    if (command instanceof RemoteCommand remote) {
      if (failure.code() == Status.Code.UNAVAILABLE && failure.isTransportFailure()) {
        String tls = tlsFailure(failure);
        if (tls != null) {
          return "UNAVAILABLE: TLS with " + remote.target() + " failed: " + tls;
        }
        return hasCause(failure, ConnectException.class)
            ? "UNAVAILABLE: could not reach " + remote.target() + " (is a node running?)"
            : "UNAVAILABLE: " + remote.target() + " closed the connection: " + failure.description()
                + " (if the node serves TLS, pass --tls-ca)";
      }
      if (failure.code() == Status.Code.DEADLINE_EXCEEDED) {
        return "DEADLINE_EXCEEDED: no answer from "
            + remote.target()
            + " within "
            + DurationConverter.format(remote.timeout());
      }
    }
    if (failure.isSeqMismatch()) {
      return failure.getMessage() + " (the newest seq is " + failure.foundSeq().getAsLong()
          + ": read it, then --expect-seq " + failure.foundSeq().getAsLong() + ")";
    }
    return failure.getMessage();
  }
}
