package io.kadmesh.cli;

import io.kadmesh.client.KadmeshClient;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/** A subcommand that calls a node's API port ({@code --target}) through the client library. */
abstract class ApiCommand extends RemoteCommand {

  @Mixin private TargetOption target;

  @Override
  final String target() {
    return target.address;
  }

  /** Makes the command's call with a client of the target, then closes the connection. */
  final <T> T withClient(Function<KadmeshClient, T> call) {
    try (Connection connection = connect()) {
      return call.apply(connection.client());
    }
  }
}
