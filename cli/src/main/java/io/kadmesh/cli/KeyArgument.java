package io.kadmesh.cli;

import picocli.CommandLine.Parameters;

/** {@code KEY}: the application key (or a signed record's name) that get and delete take first. */
final class KeyArgument {

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8); a signed record's name with --public-key or --sign-key; "
          + "a content key in hex with --content.")
  String value;
}
