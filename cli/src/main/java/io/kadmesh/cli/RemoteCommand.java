package io.kadmesh.cli;

import io.kadmesh.tls.TlsCredentials.HostCheck;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A subcommand that calls a node: its {@code --timeout}, its connection, and where its answers and
 * errors go. {@link FailureHandler} names the target and the deadline when a call fails.
 */
abstract class RemoteCommand implements Callable<Integer> {

  @ParentCommand private KadmeshCommand parent;
  @Spec private CommandSpec spec;
  @Mixin private TimeoutOption timeout;
  @Mixin private TlsOptions tls;

  /** The HOST:PORT the command calls. */
  abstract String target();

  /** What a TLS node's certificate must show besides its CA's signature. */
  abstract HostCheck hostCheck();

  /** The deadline of its calls. */
  final Duration timeout() {
    return timeout.value;
  }

  /** The process edges: environment, channels, raw stdin and stdout, clock. */
  final CliContext context() {
    return parent.context();
  }

  /** Opens a channel to the target; the caller closes it. */
  final Connection connect() {
    return Connection.open(context(), target(), timeout(), tls.files(), hostCheck());
  }

  /** Writes the command's answer (text or one JSON object) on stdout. */
  final void print(String answer) {
    spec.commandLine().getOut().println(answer);
  }

  /** Writes a message as one line on stderr. */
  final void error(String message) {
    OneLine.error(spec.commandLine().getErr(), message);
  }

  /** A usage error of this command: reported with a pointer to its --help, exit 2. */
  final ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
