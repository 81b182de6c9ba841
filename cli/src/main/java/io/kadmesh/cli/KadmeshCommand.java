package io.kadmesh.cli;

import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code kadmesh} command: its subcommands, environment defaults, and exit-code mapping.
 *
 * <p>{@link KadmeshMain} adds {@code node}, {@code bench} and {@code simulate} to {@link
 * #newCommandLine()}'s result. The INHERIT scope hands the environment default provider and the
 * standard help options down to subcommands added that way too.
 */
@Command(
    name = "kadmesh",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = KadmeshCommand.Version.class,
    description = "Stores and reads values in a kadmesh DHT.",
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      KeygenCommand.class,
      AnnounceCommand.class,
      WithdrawCommand.class,
      InfoCommand.class,
      PingCommand.class,
      ResolveCommand.class,
      WatchCommand.class,
      XdsBootstrapCommand.class,
      HealthCommand.class,
      RecordsCommand.class,
      ContactsCommand.class,
      DrainCommand.class
    })
public final class KadmeshCommand implements Callable<Integer> {

  private final CliContext context;

  @Spec private CommandSpec spec;

  /** A command working on the given process edges. */
  public KadmeshCommand(CliContext context) {
    this.context = Objects.requireNonNull(context, "context");
  }

  /** The command line of the real process: the environment, plaintext gRPC, System.in/out/err. */
  public static CommandLine newCommandLine() {
    return newCommandLine(CliContext.system());
  }

  /**
   * The configured command line: environment defaults ({@link EnvironmentDefaultProvider}), exit 2
   * for usage errors and 3 for failures, each reported as one line on stderr.
   */
  public static CommandLine newCommandLine(CliContext context) {
    CommandLine commandLine = new CommandLine(new KadmeshCommand(context));
    commandLine.setDefaultValueProvider(new EnvironmentDefaultProvider(context.environment()));
    commandLine.setParameterExceptionHandler(new UsageErrorHandler());
    commandLine.setExecutionExceptionHandler(new FailureHandler());
    return commandLine;
  }

  /** The process edges the subcommands work on. */
  public CliContext context() {
    return context;
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand");
  }

  /** The version from the jar's manifest, when there is one. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = KadmeshCommand.class.getPackage().getImplementationVersion();
      return new String[] {"kadmesh " + (version == null ? "(development build)" : version)};
    }
  }
}
