package io.kadmesh.cli;

import io.kadmesh.client.PutResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kadmesh put KEY VALUE} / {@code --file PATH}: stores a value on the k closest nodes. */
@Command(
    name = "put",
    description = "Stores a value under a key, given as an argument or read from --file.")
final class PutCommand extends ApiCommand {

  @Mixin private KeyArgument key;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "The value, stored as UTF-8; leave out with --file.")
  private String value;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "Read the value's bytes from PATH ('-' for stdin) instead of VALUE.")
  private String file;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long replicas keep the value, e.g. 30s, 5m, 2h, 7d, PT30S (default: the node's).")
  private Duration ttl;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    byte[] bytes = valueBytes();
    PutResult result =
        withClient(
            client -> ttl == null ? client.put(key.value, bytes) : client.put(key.value, bytes, ttl));
    print(json ? toJson(result) : toText(result));
    return ExitCodes.OK;
  }

  private byte[] valueBytes() {
    if ((value == null) == (file == null)) {
      throw usageError("Give either VALUE or --file, not both or neither");
    }
    if (value != null) {
      return value.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return file.equals("-")
          ? context().stdin().readAllBytes()
          : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      String reason = e instanceof NoSuchFileException ? "no such file" : e.toString();
      throw usageError("Cannot read --file '" + file + "': " + reason);
    }
  }

  private static String toText(PutResult result) {
    return "stored on "
        + Formats.replicas(result.replicas())
        + " (version "
        + Formats.version(result.version())
        + ", expires "
        + Formats.instant(result.expiresAt())
        + ")";
  }

  private static String toJson(PutResult result) {
    return Json.object()
        .field("replicas", result.replicas())
        .field("version", Formats.versionJson(result.version()))
        .field("expires_at", result.expiresAt() == null ? null : result.expiresAt().toString())
        .toString();
  }
}
