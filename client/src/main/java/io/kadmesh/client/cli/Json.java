package io.kadmesh.client.cli;

/** Builds one compact JSON object, fields in the order they are added. */
final class Json {

  private final StringBuilder text = new StringBuilder("{");

  static Json object() {
    return new Json();
  }

  /** A string field; null writes JSON null. */
  Json field(String name, String value) {
    return raw(name, value == null ? "null" : quote(value));
  }

  Json field(String name, long value) {
    return raw(name, Long.toString(value));
  }

  /** An unsigned 64-bit number, as the wire's uint64 fields hold. */
  Json unsignedField(String name, long value) {
    return raw(name, Long.toUnsignedString(value));
  }

  Json field(String name, Json value) {
    return raw(name, value.toString());
  }

  @Override
  public String toString() {
    return text + "}";
  }

  private Json raw(String name, String json) {
    if (text.length() > 1) {
      text.append(',');
    }
    text.append(quote(name)).append(':').append(json);
    return this;
  }

  private static String quote(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\r' -> quoted.append("\\r");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format("\\u%04x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
