package io.kadmesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The two log formats as lines, and {@code kadmesh node}'s logging flags and their variables. */
class LogsTest {
  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("io.kadmesh.server.grpc.RequestLog");

  private LoggingEvent event(Level level, String message, Object arg, Throwable thrown) {
    LoggingEvent e = new LoggingEvent(Logger.class.getName(), logger, level, message, thrown,
        new Object[] {arg});
    e.setMDCPropertyMap(Map.of("request_id", "req-42"));
    e.setThreadName("grpc-default-executor-3");
    return e;
  }

  private static String encoded(Encoder<ILoggingEvent> encoder, ILoggingEvent e) {
    return new String(encoder.encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void json_isOneObjectPerLine_withTimeLevelLoggerThreadMessageMdcAndException() {
    Encoder<ILoggingEvent> json = Logs.encoder(context, Logs.Format.JSON);
    String line = encoded(json, event(Level.WARN, "slow {}: 1500 ms", "Get",
        new IllegalStateException("replica gone\nsecond line")));

    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
    assertThat(o.get("timestamp").getAsLong()).isPositive();
    assertThat(o.get("level").getAsString()).isEqualTo("WARN");
    assertThat(o.get("loggerName").getAsString()).isEqualTo("io.kadmesh.server.grpc.RequestLog");
    assertThat(o.get("threadName").getAsString()).isEqualTo("grpc-default-executor-3");
    assertThat(o.get("formattedMessage").getAsString()).isEqualTo("slow Get: 1500 ms");
    assertThat(o.getAsJsonObject("mdc").get("request_id").getAsString()).isEqualTo("req-42");
    JsonObject thrown = o.getAsJsonObject("throwable");
    assertThat(thrown.get("className").getAsString()).isEqualTo("java.lang.IllegalStateException");
    assertThat(thrown.get("message").getAsString()).isEqualTo("replica gone\nsecond line");
    // Left out: the per-line context dump and the raw pattern and arguments.
    assertThat(o.keySet()).doesNotContain("context", "message", "arguments", "sequenceNumber");
  }

  @Test
  void text_isTheTimeLevelShortLoggerNameAndMessage_onOneLine() {
    Encoder<ILoggingEvent> text = Logs.encoder(context, Logs.Format.TEXT);
    String line = encoded(text, event(Level.INFO, "node {} stopped", "ab12cd34", null));

    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d)"
        + " \\[INFO] RequestLog - node ab12cd34 stopped\\n");
  }

  @Test
  void level_readsEachNameInAnyCase_andRefusesOthersNamingTheChoices() {
    assertThat(Logs.level("ERROR")).isEqualTo(Level.ERROR);
    assertThat(Logs.level("warn")).isEqualTo(Level.WARN);
    assertThat(Logs.level("Info")).isEqualTo(Level.INFO);
    assertThat(Logs.level("debug")).isEqualTo(Level.DEBUG);
    assertThat(Logs.level("trace")).isEqualTo(Level.TRACE);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Logs.level("loud"));
    assertThat(e.getMessage()).isEqualTo("invalid log level 'loud': use error, warn, info, debug or trace");
  }

  private static CommandLine nodeCommandLine(Map<String, String> environment, NodeCommand node) {
    CliContext context = new CliContext(environment, ChannelFactory.network(),
        new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(), InstantSource.system());
    CommandLine commandLine = KadmeshCommand.newCommandLine(context);
    commandLine.addSubcommand("node", node);
    return commandLine;
  }

  @Test
  void nodeFlags_byDefault_areTextInfoAndOneSecond() {
    NodeCommand node = new NodeCommand();
    nodeCommandLine(Map.of(), node).parseArgs("node");

    assertThat(node.logging.format).isEqualTo(Logs.Format.TEXT);
    assertThat(node.logging.level).isEqualTo(Level.INFO);
    assertThat(node.logging.slowOperation).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void nodeFlags_fromTheEnvironment_andTheCommandLineWins() {
    NodeCommand node = new NodeCommand();
    nodeCommandLine(Map.of("KADMESH_LOG_FORMAT", "json", "KADMESH_LOG_LEVEL", "debug",
        "KADMESH_SLOW_OPERATION", "250ms"), node).parseArgs("node", "--log-level", "warn");

    assertThat(node.logging.format).isEqualTo(Logs.Format.JSON);
    assertThat(node.logging.level).isEqualTo(Level.WARN);
    assertThat(node.logging.slowOperation).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void nodeFlags_badValues_areUsageErrorsNamingTheChoices() {
    CommandLine.ParameterException format = assertThrows(CommandLine.ParameterException.class,
        () -> nodeCommandLine(Map.of(), new NodeCommand()).parseArgs("node", "--log-format", "xml"));
    CommandLine.ParameterException slow = assertThrows(CommandLine.ParameterException.class,
        () -> nodeCommandLine(Map.of(), new NodeCommand()).parseArgs("node", "--slow-operation", "0s"));

    assertThat(format.getMessage()).contains("invalid log format 'xml': use text or json");
    assertThat(slow.getMessage()).contains("must be positive");
  }

  @Test
  void configure_atInfo_mutesTheXdsLibrarysStreamLogger_andDebugLeavesItToTheRoot() {
    LoggerContext node = new LoggerContext();
    Logger library = node.getLogger("io.envoyproxy.controlplane.server.DiscoveryServer");

    Logs.configure(node, Logs.Format.TEXT, Level.INFO);
    assertThat(library.isErrorEnabled()).isFalse();
    assertThat(node.getLogger("io.envoyproxy.controlplane.cache.SimpleCache").isWarnEnabled())
        .isTrue();

    Logs.configure(node, Logs.Format.TEXT, Level.DEBUG);
    assertThat(library.isDebugEnabled()).isTrue();
    node.stop();
  }
}
