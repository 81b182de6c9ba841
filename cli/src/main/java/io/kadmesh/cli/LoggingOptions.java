package io.kadmesh.cli;

import ch.qos.logback.classic.Level;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code kadmesh node}'s logging flags: the format and level of its log, and what counts as slow. */
public final class LoggingOptions {
  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
      converter = FormatConverter.class,
      description = "How the log on stderr is written: text lines for people, or one JSON object "
          + "per line (time, level, logger, message, thread, MDC, exception) for log collectors. "
          + "Default: ${DEFAULT-VALUE}.")
  Logs.Format format;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
      converter = LevelConverter.class,
      description = "Least severe events logged: error, warn, info, debug or trace. Default: ${DEFAULT-VALUE}.")
  Level level;

  @Option(names = "--slow-operation", paramLabel = "DURATION", defaultValue = "1s",
      converter = DurationConverter.Positive.class,
      description = "An application call (Put, Get, …) that takes this long or longer logs one WARN "
          + "line with its method, key hash, duration and request ID. Default: ${DEFAULT-VALUE}.")
  Duration slowOperation;

  /** Applies the format and level to this process's log. */
  void apply() {
    Logs.configure(format, level);
  }

  static final class FormatConverter implements ITypeConverter<Logs.Format> {
    @Override
    public Logs.Format convert(String value) {
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "text" -> Logs.Format.TEXT;
        case "json" -> Logs.Format.JSON;
        default -> throw new TypeConversionException(
            "invalid log format '" + value + "': use text or json");
      };
    }
  }

  static final class LevelConverter implements ITypeConverter<Level> {
    @Override
    public Level convert(String value) {
      try {
        return Logs.level(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
