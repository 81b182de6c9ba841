package io.kadmesh.cli;

import picocli.CommandLine.Option;

/** {@code --target}: the API address of the node a command calls. */
final class TargetOption {

  @Option(
      names = "--target",
      paramLabel = "HOST:PORT",
      defaultValue = Defaults.API_ADDRESS,
      converter = HostPortConverter.class,
      description = "The node's API address (default: ${DEFAULT-VALUE}; env KADMESH_TARGET).")
  String address;
}
