package io.kadmesh.cli;

import io.kadmesh.client.AnnounceOptions;
import io.kadmesh.client.AnnounceResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kadmesh announce SERVICE HOST:PORT}: has the node publish an endpoint of a service and keep
 * it published (only while its health check passes, with {@code --health-check}) until {@code
 * kadmesh withdraw} or the node's shutdown. Prints the first publication's replicas and expiry.
 */
@Command(
    name = "announce",
    description = {
        "Has the node publish HOST:PORT as an endpoint of SERVICE, signed with its key, and keep it "
            + "published (re-announced before it expires, again after the node restarts) until "
            + "'kadmesh withdraw' or the node's shutdown. Announcing it again replaces its metadata "
            + "and TTL.",
        "With --health-check the node asks the endpoint's grpc.health.v1 service and publishes it "
            + "only while it answers SERVING."})
final class AnnounceCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service's name (1 to 256 bytes of UTF-8).")
  private String service;

  @Parameters(
      index = "1",
      paramLabel = "HOST:PORT",
      converter = HostPortConverter.class,
      description = "The endpoint clients of the service connect to (IPv6 hosts in brackets).")
  private String endpoint;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      description = "How long each published entry lives unless renewed; the node renews it at half "
          + "of that. At least 5s (default: the node's, 30s).")
  private Duration ttl;

  @Option(
      names = "--meta",
      paramLabel = "KEY=VALUE",
      description = "Metadata of the endpoint, repeatable: e.g. --meta zone=eu-1 --meta weight=3 "
          + "(at most 32 pairs, 2 KiB in all).")
  private Map<String, String> metadata = new LinkedHashMap<>();

  @Option(
      names = "--health-check",
      paramLabel = "NAME",
      arity = "0..1",
      fallbackValue = "",
      description = "Publish the endpoint only while its grpc.health.v1 Check answers SERVING for "
          + "the service NAME (--health-check=NAME; without NAME, the server as a whole).")
  private String healthCheck;

  @Option(
      names = "--health-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.Positive.class,
      description = "How often the node checks the endpoint's health; at least 1s (default: 5s).")
  private Duration healthInterval;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    if (healthInterval != null && healthCheck == null) {
      throw usageError("--health-interval goes with --health-check");
    }
    AnnounceOptions options = AnnounceOptions.DEFAULTS.withMetadata(metadata);
    if (ttl != null) {
      options = options.withTtl(ttl);
    }
    if (healthCheck != null) {
      options = healthInterval == null
          ? options.withHealthCheck(healthCheck)
          : options.withHealthCheck(healthCheck, healthInterval);
    }
    AnnounceOptions asked = options;
    AnnounceResult result = withClient(client -> client.announce(service, endpoint, asked));
    print(json
        ? Json.object()
            .field("replicas", result.replicas())
            .field("published", result.published())
            .field("expires_at", Formats.instantOrNull(result.expiresAt()))
            .toString()
        : toText(result));
    return ExitCodes.OK;
  }

  private static String toText(AnnounceResult result) {
    return result.published()
        ? "announced on " + Formats.replicas(result.replicas()) + " (expires "
            + Formats.instant(result.expiresAt()) + "; the node renews it until withdrawn)"
        : "announced, not published yet: its health check has not answered SERVING";
  }
}
