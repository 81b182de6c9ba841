package io.kadmesh.testing;

import io.kadmesh.core.Version;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** A live value a get found, with its version; the bytes are copied in and out. */
public record Found(byte[] value, Version version) {
  public Found {
    value = Objects.requireNonNull(value, "value").clone();
    Objects.requireNonNull(version, "version");
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value decoded as UTF-8. */
  public String valueAsString() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Found f && Arrays.equals(value, f.value) && version.equals(f.version);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(value) + version.hashCode();
  }

  @Override
  public String toString() {
    return "Found[" + value.length + " bytes, version=" + version + "]";
  }
}
