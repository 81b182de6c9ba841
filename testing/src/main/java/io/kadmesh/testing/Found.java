package io.kadmesh.testing;

import com.google.protobuf.ByteString;
import io.kadmesh.core.Version;

/** A live value a get found, with its version; the bytes are immutable. */
public record Found(ByteString value, Version version) {
  /** The value decoded as UTF-8. */
  public String valueAsString() {
    return value.toStringUtf8();
  }
}
