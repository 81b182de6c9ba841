package io.kadmesh.cli;

import java.time.Duration;
import picocli.CommandLine.Mixin;

/** A subcommand that calls a node's API port, with {@code --target} and {@code --timeout}. */
abstract class ApiCommand implements RemoteCommand {
  @Mixin ConnectionOptions connection;

  @Override
  public String target() {
    return connection.target;
  }

  @Override
  public Duration timeout() {
    return connection.timeout;
  }
}
