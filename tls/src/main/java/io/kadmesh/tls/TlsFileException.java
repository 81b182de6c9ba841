package io.kadmesh.tls;

/** A TLS file that is missing, unreadable or not what it should be; the message names the file. */
public final class TlsFileException extends IllegalArgumentException {
  public TlsFileException(String message) {
    super(message);
  }

  public TlsFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
