package io.kadmesh.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The flags that say which node to call and how long to wait: {@code --target}, {@code --timeout}. */
final class ConnectionOptions {

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = Defaults.API_ADDRESS,
      converter = HostPortConverter.class,
      description = "The node's API address (default: ${DEFAULT-VALUE}; env KADMESH_TARGET).")
  String target;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = Defaults.TIMEOUT,
      converter = DurationConverter.Positive.class,
      description = "The deadline of the call, e.g. 500ms, 10s, PT1M (default: ${DEFAULT-VALUE}; env KADMESH_TIMEOUT).")
  Duration timeout;

  /** Opens a connection to the target. */
  Connection open(CliContext context) {
    return Connection.open(context, target, timeout);
  }
}
