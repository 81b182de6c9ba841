package io.kadmesh.server.cli;

import io.kadmesh.client.cli.KadmeshCommand;
import picocli.CommandLine;

/** The {@code kadmesh} executable: the client's subcommands plus {@code node}. */
public final class KadmeshMain {
  private KadmeshMain() {}

  public static void main(String[] args) {
    CommandLine commandLine = KadmeshCommand.newCommandLine();
    commandLine.addSubcommand("node", new NodeCommand());
    System.exit(commandLine.execute(args));
  }
}
