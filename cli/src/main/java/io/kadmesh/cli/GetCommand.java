package io.kadmesh.cli;

import io.kadmesh.client.ContentEntry;
import io.kadmesh.client.Entry;
import io.kadmesh.client.SignedEntry;
import io.kadmesh.records.Ed25519Keys;
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

/**
 * {@code kadmesh get KEY}: writes the value's bytes, and only them, to stdout so that it pipes.
 * {@code --public-key HEX} reads the signed record named KEY, {@code --content} the value whose
 * SHA-256 is KEY (in hex); the client verifies both before it writes a byte.
 */
@Command(
    name = "get",
    description = "Writes the value of a key to stdout, raw; exits 1 when the key is not found. "
        + "Signed records with --public-key, content-addressed ones with --content.")
final class GetCommand extends ApiCommand {

  @Mixin private KeyArgument key;

  @Option(
      names = "--public-key",
      paramLabel = "HEX",
      description = "Read the signed record named KEY of the owner of this Ed25519 public key "
          + "(64 hex digits, as 'kadmesh keygen' prints it).")
  private String publicKey;

  @Option(
      names = "--content",
      description = "KEY is a content key (64 hex digits, as 'put --content' prints it).")
  private boolean content;

  @Option(
      names = "--quorum",
      paramLabel = "N",
      description = "Answer once N replicas answered (1 to the node's k; the node's own copy counts "
          + "when it is among the key's closest, so 1 may ask no peer). Default: the node's "
          + "--get-quorum. Plain keys only.")
  private Integer quorum;

  @Option(
      names = "--json",
      description = "Print the value with its version (or seq) and expiry as one JSON object.")
  private boolean json;

  @Override
  public Integer call() throws IOException {
    if (content && publicKey != null) {
      throw usageError("Give --content or --public-key, not both");
    }
    if (quorum != null && (content || publicKey != null)) {
      throw usageError("--quorum applies to plain keys only, not to --content or --public-key");
    }
    if (quorum != null && quorum < 1) {
      throw usageError("Invalid --quorum: must be 1 or more (up to the node's k), was " + quorum);
    }
    if (content) {
      return getContent();
    }
    if (publicKey != null) {
      return getSigned();
    }
    Optional<Entry> entry = withClient(client -> quorum == null
        ? client.get(key.value) : client.get(key.value, quorum));
    if (entry.isEmpty()) {
      error("key '" + key.value + "' not found");
      return ExitCodes.NOT_FOUND;
    }
    Entry found = entry.get();
    return answer(found.value(), valueJson("key", key.value, found.value())
        .field("version", Formats.versionJson(found.version()))
        .field("expires_at", Formats.instantOrNull(found.expiresAt())));
  }

  private int getSigned() throws IOException {
    byte[] owner;
    try {
      owner = Ed25519Keys.parseHex(publicKey);
    } catch (IllegalArgumentException e) {
      throw usageError("Invalid --public-key: " + e.getMessage());
    }
    SignedEntry entry = withClient(client -> client.getSigned(owner, key.value));
    if (!entry.found()) {
      error(entry.tombstone()
          ? "signed record '" + key.value + "' is deleted (tombstone seq " + entry.seq() + ")"
          : "signed record '" + key.value + "' not found");
      return ExitCodes.NOT_FOUND;
    }
    return answer(entry.value(), valueJson("name", key.value, entry.value())
        .field("seq", entry.seq())
        .field("expires_at", Formats.instantOrNull(entry.expiresAt()))
        .field("public_key", entry.publicKeyHex()));
  }

  private int getContent() throws IOException {
    byte[] contentKey;
    try {
      contentKey = ContentKeys.parse(key.value);
    } catch (IllegalArgumentException e) {
      throw usageError("Invalid content key: " + e.getMessage());
    }
    Optional<ContentEntry> entry = withClient(client -> client.getContent(contentKey));
    if (entry.isEmpty()) {
      error("content key " + key.value.strip() + " not found");
      return ExitCodes.NOT_FOUND;
    }
    ContentEntry found = entry.get();
    return answer(found.value(), valueJson("key", found.keyHex(), found.value())
        .field("expires_at", Formats.instantOrNull(found.expiresAt())));
  }

  /** The value's raw bytes on stdout, or with --json the object that describes it. */
  private int answer(byte[] value, Json described) throws IOException {
    if (json) {
      print(described.toString());
    } else {
      OutputStream stdout = context().stdout();
      stdout.write(value);
      stdout.flush();
    }
    return ExitCodes.OK;
  }

  /** What names the value, then the value: as text when it is UTF-8, and in base64. */
  private static Json valueJson(String idName, String id, byte[] value) {
    return Json.object()
        .field(idName, id)
        .field("value", utf8OrNull(value))
        .field("value_base64", Base64.getEncoder().encodeToString(value));
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
