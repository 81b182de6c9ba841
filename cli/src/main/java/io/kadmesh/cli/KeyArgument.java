package io.kadmesh.cli;

import picocli.CommandLine.Parameters;

/** {@code KEY}: the application key that put, get and delete take first. */
final class KeyArgument {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8).")
  String value;
}
