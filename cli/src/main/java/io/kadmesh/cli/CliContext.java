package io.kadmesh.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands take from the process: environment, network, standard streams and clock.
 * Text output and errors go through picocli's {@code getOut()}/{@code getErr()}; {@code stdout} is
 * for raw bytes ({@code kadmesh get}).
 */
public record CliContext(
    Map<String, String> environment,
    ChannelFactory channels,
    InputStream stdin,
    OutputStream stdout,
    InstantSource clock) {

  public CliContext {
    environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(stdin, "stdin");
    Objects.requireNonNull(stdout, "stdout");
    Objects.requireNonNull(clock, "clock");
  }

  /** The real process: its environment, gRPC over the network, System.in/out and the system clock. */
  public static CliContext system() {
    return new CliContext(
        System.getenv(), ChannelFactory.network(), System.in, System.out, InstantSource.system());
  }
}
