package io.kadmesh.cli;

import io.kadmesh.client.Entry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kadmesh get KEY}: writes the value's bytes, and only them, to stdout so that it pipes. */
@Command(
    name = "get",
    description = "Writes the value of a key to stdout, raw; exits 1 when the key is not found.")
final class GetCommand extends ApiCommand {

  @Mixin private KeyArgument key;

  @Option(
      names = "--json",
      description = "Print the value with its version and expiry as one JSON object.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    Optional<Entry> entry = withClient(client -> client.get(key.value));
    if (entry.isEmpty()) {
      error("key '" + key.value + "' not found");
      return ExitCodes.NOT_FOUND;
    }
    if (json) {
      print(toJson(key.value, entry.get()));
    } else {
      OutputStream stdout = context().stdout();
      stdout.write(entry.get().value());
      stdout.flush();
    }
    return ExitCodes.OK;
  }

  private static String toJson(String key, Entry entry) {
    byte[] value = entry.value();
    return Json.object()
        .field("key", key)
        .field("value", utf8OrNull(value))
        .field("value_base64", Base64.getEncoder().encodeToString(value))
        .field("version", Formats.versionJson(entry.version()))
        .field("expires_at", entry.expiresAt() == null ? null : entry.expiresAt().toString())
        .toString();
  }

  // Binary values must not come out as U+FFFD soup; base64 carries them.
  private static String utf8OrNull(byte[] value) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
