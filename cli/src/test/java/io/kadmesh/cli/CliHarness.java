package io.kadmesh.cli;

import io.kadmesh.client.testing.FakeAdmin;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.client.testing.FakeKademlia;
import io.kadmesh.client.testing.InProcessNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import picocli.CommandLine;

/**
 * Runs {@code kadmesh} as the process would, but against fake services over in-process, with an
 * injected environment, stdin and clock, and captured stdout (text and raw) and stderr.
 */
final class CliHarness implements AutoCloseable {

  final FakeDht dht = new FakeDht();
  final FakeKademlia kademlia = new FakeKademlia();
  final FakeAdmin admin = new FakeAdmin();
  final Map<String, String> environment = new HashMap<>();
  final List<String> dialled = new CopyOnWriteArrayList<>();
  byte[] stdin = new byte[0];
  Instant now = FakeDht.NOW;
  ChannelFactory channels;

  private final InProcessNode node = InProcessNode.serve(dht, kademlia, admin);
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();
  private ByteArrayOutputStream rawOut = new ByteArrayOutputStream();

  CliHarness() {
    channels =
        (target, tls, check) -> {
          dialled.add(target);
          return node.newChannel();
        };
  }

  /** The command line as KadmeshMain gets it, with the captured streams set. */
  CommandLine commandLine() {
    CliContext context =
        new CliContext(
            environment,
            channels,
            new ByteArrayInputStream(stdin),
            rawOut,
            InstantSource.fixed(now));
    return KadmeshCommand.newCommandLine(context);
  }

  int run(String... args) {
    return run(commandLine(), args);
  }

  int run(CommandLine commandLine, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    rawOut.reset();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  byte[] rawOut() {
    return rawOut.toByteArray();
  }

  String rawOutAsString() {
    return rawOut.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    node.close();
  }
}
