package io.kadmesh.cli.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What {@code kadmesh bench} and {@code kadmesh simulate} share: a seed, a table or one JSON
 * object, and how both write their figures.
 */
public abstract class MeasurementCommand implements Callable<Integer> {
  // NaN and infinities stay in the output: a rate of no operations is NaN, not an error.
  private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

  @Spec private CommandSpec spec;

  @Option(names = "--seed",
      description = "Seed of every random choice (node IDs, keys, values, nodes used; simulated "
          + "tables and losses). Default: ${DEFAULT-VALUE}.")
  protected long seed = 1;

  @Option(names = "--json", description = "Print one JSON object instead of the table.")
  protected boolean json;

  /** A usage error about {@code message}: exit status 2 with the message on stderr. */
  protected final ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  protected final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  protected final void printJson(JsonObject o) {
    out().println(GSON.toJson(o));
    out().flush();
  }

  /** Three decimals, for JSON; NaN and infinities as they are. */
  protected static double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : v;
  }

  /** {@link String#format} with a dot for decimals whatever the locale. */
  protected static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
