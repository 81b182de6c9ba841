package io.kadmesh.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kadmesh.proto.v1.AdminGrpc;
import io.kadmesh.proto.v1.DhtGrpc;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.server.grpc.KadmeshServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kadmesh health}: asks a node's API port for its gRPC health (grpc.health.v1.Health/Check)
 * and exits 0 only when it is SERVING, so that a container's HEALTHCHECK or a script can wait on it.
 */
@Command(
    name = "health",
    description = {
        "Checks a node's gRPC health on its API port and prints the status (SERVING, NOT_SERVING, …).",
        "Exit status: 0 SERVING; 1 the node knows no such --service; 3 the node could not be "
            + "reached or failed the call; 5 it answered, but not SERVING (still joining, cut off "
            + "from its network, or drained)."})
final class HealthCommand extends ApiCommand {

  @Option(
      names = "--service",
      paramLabel = "NAME",
      defaultValue = "",
      description = "The health service name to check: '' (the default) is the whole node, as "
          + "are " + DhtGrpc.SERVICE_NAME + ", " + KademliaGrpc.SERVICE_NAME + " and "
          + AdminGrpc.SERVICE_NAME + "; '" + KadmeshServer.LIVENESS_HEALTH_NAME + "' is SERVING "
          + "for as long as the process answers, joined or not (for liveness probes).")
  private String service;

  @Override
  public Integer call() {
    HealthCheckRequest request = HealthCheckRequest.newBuilder().setService(service).build();
    ServingStatus status;
    try (Connection connection = connect()) {
      status = HealthGrpc.newBlockingStub(connection.channel())
          .withDeadlineAfter(timeout())
          .check(request)
          .getStatus();
    } catch (StatusRuntimeException e) {
      // The health service answers NOT_FOUND for a name it does not know.
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        error("NOT_FOUND: " + target() + " knows no health service '" + service + "'");
        return ExitCodes.NOT_FOUND;
      }
      throw e;
    }
    print(status.name());
    if (status == ServingStatus.SERVING) {
      return ExitCodes.OK;
    }
    error(status.name() + ": " + target() + " is not serving"
        + (service.isEmpty() ? "" : " service '" + service + "'")
        + " (a node serves once it reaches a peer, or when it runs alone)");
    return ExitCodes.NOT_SERVING;
  }
}
