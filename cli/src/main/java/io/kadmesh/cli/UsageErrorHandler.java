package io.kadmesh.cli;

import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;

/** Reports a usage error as one line pointing at {@code --help}, and exits 2. */
final class UsageErrorHandler implements IParameterExceptionHandler {

  @Override
  public int handleParseException(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    OneLine.error(
        command.getErr(),
        error.getMessage() + " (see '" + command.getCommandSpec().qualifiedName() + " --help')");
    return ExitCodes.USAGE;
  }
}
