package io.kadmesh.cli;

import io.grpc.Status;
import io.kadmesh.client.KadmeshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kadmesh withdraw SERVICE HOST:PORT}: stops the node announcing an endpoint and publishes
 * its withdrawal. Exits 1 when the node does not announce it.
 */
@Command(
    name = "withdraw",
    description = "Stops the node announcing HOST:PORT as an endpoint of SERVICE and publishes its "
        + "withdrawal, so that resolvers stop seeing it at once. Exits 1 when the node does not "
        + "announce it.")
final class WithdrawCommand extends ApiCommand {

  @Parameters(index = "0", paramLabel = "SERVICE", description = "The service's name.")
  private String service;

  @Parameters(
      index = "1",
      paramLabel = "HOST:PORT",
      converter = HostPortConverter.class,
      description = "The endpoint, as announced.")
  private String endpoint;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    int replicas;
    try {
      replicas = withClient(client -> client.withdraw(service, endpoint));
    } catch (KadmeshException e) {
      if (e.code() != Status.Code.NOT_FOUND) {
        throw e;
      }
      error("the node does not announce " + endpoint + " for service '" + service + "'");
      return ExitCodes.NOT_FOUND;
    }
    print(json
        ? Json.object().field("replicas", replicas).toString()
        : "withdrawn (on " + Formats.replicas(replicas) + ")");
    return ExitCodes.OK;
  }
}
