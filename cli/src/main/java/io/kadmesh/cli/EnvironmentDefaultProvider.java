package io.kadmesh.cli;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Gives every option a default from the environment: {@code --foo-bar} reads {@code
 * KADMESH_FOO_BAR}, so that containers configure {@code kadmesh} without flags.
 *
 * <p>A flag on the command line wins over the variable, which wins over the option's own default.
 * An empty variable counts as unset. Positional parameters and {@code --help}/{@code --version} are
 * never read from the environment.
 */
public final class EnvironmentDefaultProvider implements IDefaultValueProvider {

  /** What every variable's name starts with. */
  public static final String PREFIX = "KADMESH_";

  private final Map<String, String> environment;

  /** Reads the process environment; the no-argument form lets {@code @Command} name this class. */
  public EnvironmentDefaultProvider() {
    this(System.getenv());
  }

  /** Reads the given variables instead of the process environment (tests, embedding). */
  public EnvironmentDefaultProvider(Map<String, String> environment) {
    this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
  }

  /** The variable an option reads: {@code --foo-bar} → {@code KADMESH_FOO_BAR}. */
  public static String variableFor(String optionName) {
    String bare = optionName.replaceFirst("^-+", "");
    return PREFIX + bare.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value = environment.get(variableFor(option.longestName()));
    return value == null || value.isEmpty() ? null : value;
  }
}
