package io.kadmesh.cli;

import io.kadmesh.client.ContentPutResult;
import io.kadmesh.client.PutResult;
import io.kadmesh.client.SignedRecords;
import io.kadmesh.client.SignedWriteResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kadmesh put KEY VALUE} / {@code --file PATH}: stores a value on the k closest nodes; with
 * {@code --sign-key FILE}, as a signed record named KEY; with {@code --content}, under the SHA-256
 * of the value (no KEY), printing that key.
 */
@Command(
    name = "put",
    description = "Stores a value under a key, given as an argument or read from --file; "
        + "signed with --sign-key, or content-addressed with --content (prints the key in hex).")
final class PutCommand extends ApiCommand {

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "KEY",
      description = "The key (UTF-8), or the name of a signed record; left out with --content.")
  private String first;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "VALUE",
      description = "The value, stored as UTF-8; leave out with --file.")
  private String second;

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "Read the value's bytes from PATH ('-' for stdin) instead of VALUE.")
  private String file;

  @Option(
      names = "--content",
      description = "Store the value under SHA-256 of its bytes (immutable) and print that key in hex.")
  private boolean content;

  @Mixin private SigningOptions signing;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "How long replicas keep the value, e.g. 30s, 5m, 2h, 7d, PT30S (default: the node's; 24h for a signed record).")
  private Duration ttl;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    if (content) {
      return putContent();
    }
    if (first == null) {
      throw usageError("Missing KEY (or --content for a content-addressed value)");
    }
    KeyPair keys = signing.keyPair(this::usageError);
    byte[] bytes = valueBytes(second);
    if (keys != null) {
      return putSigned(keys, bytes);
    }
    PutResult result =
        withClient(
            client -> ttl == null ? client.put(first, bytes) : client.put(first, bytes, ttl));
    print(json ? toJson(result) : toText(result));
    return ExitCodes.OK;
  }

  private int putContent() {
    if (signing.signed() || signing.expectSeq != null) {
      throw usageError("--content records are not signed: give --content or --sign-key, not both");
    }
    if (second != null) {
      throw usageError("--content takes a VALUE (or --file) and no KEY");
    }
    byte[] bytes = valueBytes(first);
    ContentPutResult result =
        withClient(client -> ttl == null ? client.putContent(bytes) : client.putContent(bytes, ttl));
    print(json
        ? Json.object()
            .field("key", result.keyHex())
            .field("replicas", result.replicas())
            .field("expires_at", Formats.instantOrNull(result.expiresAt()))
            .toString()
        : result.keyHex());
    return ExitCodes.OK;
  }

  private int putSigned(KeyPair keys, byte[] bytes) {
    Duration signedTtl = ttl == null ? SignedRecords.DEFAULT_TTL : ttl;
    SignedWriteResult result = withClient(client -> {
      SignedRecords owner = client.signedBy(keys, context().clock());
      return signing.expectSeq == null
          ? owner.put(first, bytes, signedTtl)
          : owner.compareAndPut(first, signing.expectSeq, bytes, signedTtl);
    });
    print(json
        ? Formats.signedWriteJson(result, keys)
        : "stored on " + Formats.replicas(result.replicas()) + " (seq " + result.seq()
            + ", expires " + Formats.instant(result.expiresAt()) + ", key " + result.keyHex() + ")");
    return ExitCodes.OK;
  }

  private byte[] valueBytes(String value) {
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
        .field("expires_at", Formats.instantOrNull(result.expiresAt()))
        .toString();
  }
}
