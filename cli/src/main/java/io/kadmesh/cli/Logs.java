package io.kadmesh.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import io.kadmesh.server.xds.XdsServer;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Where and how the executable logs: one line per event on stderr, as text for people or as one
 * JSON object per line for log collectors (logback's {@link JsonEncoder}), at a chosen level.
 * Configured in code, not by a file: every command starts with text at INFO ({@link
 * LogConfigurator}), and {@code kadmesh node} applies its {@code --log-format} and
 * {@code --log-level}.
 */
public final class Logs {
  /** The text line: time, level, the logger's short name, the message (then any stack trace). */
  static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} [%level] %logger{0} - %msg%n";

  /** How each event is written. */
  public enum Format {
    /** {@code 2026-12-03T16:56:46.920+00:00 [INFO] KadmeshServer - node … serving peers on …} */
    TEXT,
    /**
     * One JSON object per line: timestamp (epoch milliseconds), level, threadName, loggerName, mdc
     * (the request ID among them), kvpList, formattedMessage and throwable (class, message, stack).
     */
    JSON
  }

  private Logs() {}

  /** Replaces the logging set-up of this process: {@code format} on stderr at {@code level}. */
  public static void configure(Format format, Level level) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return; // another SLF4J backend on the class path (embedding): leave it to its owner
    }
    configure(context, format, level);
  }

  static void configure(LoggerContext context, Format format, Level level) {
    context.reset();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("stderr");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder(context, format));
    stderr.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(level);
    root.addAppender(stderr);
    // java-control-plane logs a refused xDS stream at ERROR with a stack trace and each client's
    // cancel at INFO; the node logs one line per stream ended in error itself. Its detail stays
    // for whoever asks for DEBUG.
    context.getLogger(XdsServer.LIBRARY_STREAM_LOGGER)
        .setLevel(level.isGreaterOrEqual(Level.INFO) ? Level.OFF : null);
  }

  /** The encoder of {@code format}, started. */
  static Encoder<ILoggingEvent> encoder(LoggerContext context, Format format) {
    if (format == Format.JSON) {
      JsonEncoder json = new JsonEncoder();
      json.setContext(context);
      // What a collector needs of each event, without the per-line context dump or raw arguments.
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithContext(false);
      json.setWithMarkers(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern(TEXT_PATTERN);
    text.start();
    return text;
  }

  /** Parses {@code --log-level}: error, warn, info, debug or trace (any case). */
  public static Level level(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return switch (lower) {
      case "error" -> Level.ERROR;
      case "warn", "warning" -> Level.WARN;
      case "info" -> Level.INFO;
      case "debug" -> Level.DEBUG;
      case "trace" -> Level.TRACE;
      default -> throw new IllegalArgumentException(
          "invalid log level '" + text + "': use error, warn, info, debug or trace");
    };
  }
}
