package io.kadmesh.cli;

import io.kadmesh.client.KadmeshClient;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import java.util.function.Function;
import picocli.CommandLine.Mixin;

/** A subcommand that calls a node's API port ({@code --target}) through the client library. */
abstract class ApiCommand extends RemoteCommand {

  @Mixin private TargetOption target;

  @Override
  final String target() {
    return target.address;
  }

  /** An API port's certificate names its host, as any TLS server's does. */
  @Override
  final HostCheck hostCheck() {
    return HostCheck.HOST_NAME;
  }

  /** Makes the command's call with a client of the target, then closes the connection. */
  final <T> T withClient(Function<KadmeshClient, T> call) {
    try (Connection connection = connect()) {
      return call.apply(connection.client());
    }
  }
}
