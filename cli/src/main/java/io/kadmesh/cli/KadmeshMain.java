package io.kadmesh.cli;

import io.kadmesh.cli.bench.BenchCommand;
import io.kadmesh.cli.simulation.SimulateCommand;
import picocli.CommandLine;

/** The {@code kadmesh} executable: the client's subcommands plus {@code node}, {@code bench} and {@code simulate}. */
public final class KadmeshMain {
  private KadmeshMain() {}

  public static void main(String[] args) {
    CommandLine commandLine = KadmeshCommand.newCommandLine();
    commandLine.addSubcommand("node", new NodeCommand());
    commandLine.addSubcommand("bench", new BenchCommand());
    commandLine.addSubcommand("simulate", new SimulateCommand());
    System.exit(commandLine.execute(args));
  }
}
