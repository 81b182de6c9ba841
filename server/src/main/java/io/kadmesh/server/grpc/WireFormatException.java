package io.kadmesh.server.grpc;

/** A request field that does not have the form the protocol requires; answered INVALID_ARGUMENT. */
final class WireFormatException extends RuntimeException {
  WireFormatException(String message) {
    super(message, null, false, false);
  }
}
