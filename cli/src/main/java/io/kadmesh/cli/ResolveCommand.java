package io.kadmesh.cli;

import io.kadmesh.client.ServiceEndpoint;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kadmesh resolve SERVICE}: the service's live endpoints, one address per line so that it
 * pipes ({@code --json}: one object per endpoint with its metadata, announcer and expiry). No
 * endpoints is an answer, not a failure: nothing on stdout, a note on stderr, exit 0.
 */
@Command(
    name = "resolve",
    description = "Prints the live endpoints of a service, one HOST:PORT per line.")
final class ResolveCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service's name (UTF-8).")
  private String service;

  @Option(
      names = "--json",
      description = "Print one JSON object per endpoint: address, metadata, announcer (node ID in "
          + "hex), announcer_key (hex) and expires_at.")
  private boolean json;

  @Override
  public Integer call() {
    List<ServiceEndpoint> endpoints = withClient(client -> client.resolve(service));
    if (endpoints.isEmpty()) {
      error("no endpoints for " + service);
      return ExitCodes.OK;
    }
    for (ServiceEndpoint e : endpoints) {
      print(json ? json(e).toString() : e.address());
    }
    return ExitCodes.OK;
  }

  private static Json json(ServiceEndpoint e) {
    Json metadata = Json.object();
    for (Map.Entry<String, String> pair : e.metadata().entrySet()) {
      metadata.field(pair.getKey(), pair.getValue());
    }
    return Json.object()
        .field("address", e.address())
        .field("metadata", metadata)
        .field("announcer", e.announcerId())
        .field("announcer_key", e.announcerKey())
        .field("expires_at", Formats.instantOrNull(e.expiresAt()));
  }
}
