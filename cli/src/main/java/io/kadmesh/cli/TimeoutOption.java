package io.kadmesh.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout}: how long a command waits for the node it calls. */
final class TimeoutOption {

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = Defaults.TIMEOUT,
      converter = DurationConverter.Positive.class,
      description = "The deadline of the call, e.g. 500ms, 10s, PT1M (default: ${DEFAULT-VALUE}; env KADMESH_TIMEOUT).")
  Duration value;
}
