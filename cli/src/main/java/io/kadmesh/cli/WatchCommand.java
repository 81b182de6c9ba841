package io.kadmesh.cli;

import io.kadmesh.client.KadmeshException;
import io.kadmesh.client.ServiceEndpoint;
import io.kadmesh.client.WatchEvent;
import io.kadmesh.client.WatchHandle;
import io.kadmesh.client.WatchListener;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kadmesh watch KEY} and {@code kadmesh watch --service NAME}: one line per event, flushed
 * at once, until interrupted: {@code VALUE <version> <value>} (the value as UTF-8 text, or
 * {@code 0x} and hex when it is not text), {@code DELETED [<version>]}, {@code ADDED|UPDATED|REMOVED
 * <address> [k=v …]}, {@code SYNCED}, {@code RESYNC}; {@code --json} writes one JSON object per
 * line instead.
 */
@Command(
    name = "watch",
    description = "Prints the state of a key (or a service's endpoints with --service), then SYNCED,"
        + " then every change, one line each, until interrupted.")
final class WatchCommand extends ApiCommand {

  @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "The key (UTF-8).")
  private String key;

  @Option(names = "--service", paramLabel = "NAME", description = "Watch this service's endpoints.")
  private String service;

  @Option(names = "--json", description = "One JSON object per event.")
  private boolean json;

  @Spec private CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    if ((key == null) == (service == null)) {
      throw usageError("Give a KEY or --service NAME (one of them)");
    }
    PrintWriter out = spec.commandLine().getOut();
    AtomicReference<KadmeshException> failure = new AtomicReference<>();
    WatchListener listener = new WatchListener() {
      @Override
      public void onEvent(WatchEvent event) {
        synchronized (out) {
          out.println(json ? json(event) : line(event));
          out.flush();
        }
      }

      @Override
      public void onError(KadmeshException error) {
        failure.set(error);
      }
    };
    withClient(client -> {
      WatchHandle handle = key != null ? client.watchKey(key, listener)
          : client.watchService(service, listener);
      try {
        // Until the node ends the stream, or the process is interrupted.
        while (!handle.awaitEnd(1, TimeUnit.HOURS)) {
          continue;
        }
      } catch (InterruptedException e) {
        handle.close();
        Thread.currentThread().interrupt();
      }
      return null;
    });
    if (failure.get() != null) {
      throw failure.get();
    }
    return ExitCodes.OK;
  }

  static String line(WatchEvent e) {
    return switch (e.type()) {
      case VALUE -> "VALUE " + e.version() + " " + text(e.value());
      case DELETED -> e.version() == null ? "DELETED" : "DELETED " + e.version();
      case ENDPOINT_ADDED -> "ADDED" + endpoint(e.endpoint());
      case ENDPOINT_UPDATED -> "UPDATED" + endpoint(e.endpoint());
      case ENDPOINT_REMOVED -> "REMOVED" + endpoint(e.endpoint());
      case SYNCED -> "SYNCED";
      case RESYNC -> "RESYNC";
    };
  }

  private static String endpoint(ServiceEndpoint endpoint) {
    StringBuilder b = new StringBuilder(" ").append(endpoint.address());
    for (Map.Entry<String, String> m : endpoint.metadata().entrySet()) {
      b.append(' ').append(m.getKey()).append('=').append(m.getValue());
    }
    return b.toString();
  }

  static String json(WatchEvent e) {
    Json j = Json.object().field("type", e.type().name());
    if (e.version() != null) j.field("version", Formats.versionJson(e.version()));
    if (e.type() == WatchEvent.Type.VALUE) {
      j.field("value", utf8OrNull(e.value()))
          .field("value_base64", Base64.getEncoder().encodeToString(e.value()))
          .field("expires_at", Formats.instantOrNull(e.expiresAt()));
    }
    ServiceEndpoint endpoint = e.endpoint();
    if (endpoint != null) {
      Json metadata = Json.object();
      endpoint.metadata().forEach(metadata::field);
      j.field("address", endpoint.address())
          .field("metadata", metadata)
          .field("announcer", endpoint.announcerId())
          .field("announcer_key", endpoint.announcerKey())
          .field("expires_at", Formats.instantOrNull(endpoint.expiresAt()));
    }
    return j.toString();
  }

  /** The value as text when it is UTF-8 without line breaks, else 0x and its hex. */
  private static String text(byte[] value) {
    String s = utf8OrNull(value);
    return s != null && s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s
        : "0x" + HexFormat.of().formatHex(value);
  }

  private static String utf8OrNull(byte[] value) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(value)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }
}
