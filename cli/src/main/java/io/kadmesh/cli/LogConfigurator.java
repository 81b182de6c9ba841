package io.kadmesh.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * The executable's logging before any command says otherwise: text lines on stderr at INFO, found
 * by logback through {@code META-INF/services}, so that no command ever logs to stdout (which
 * carries {@code get}'s bytes and the JSON of {@code bench}) and no configuration file is parsed.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {
  @Override
  public ExecutionStatus configure(LoggerContext context) {
    Logs.configure(context, Logs.Format.TEXT, Level.INFO);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}
