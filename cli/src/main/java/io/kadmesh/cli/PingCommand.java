package io.kadmesh.cli;

import io.grpc.StatusRuntimeException;
import io.kadmesh.client.KadmeshException;
import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.proto.v1.RequestHeader;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kadmesh ping HOST:PORT}: calls Kademlia Ping on a peer port as a tool, not a node (no
 * sender in the header), so the peer answers without adding it to its routing table.
 */
@Command(name = "ping", description = "Pings a node's peer port and reports who answered.")
final class PingCommand implements Callable<Integer>, RemoteCommand {

  /** The peer protocol version this client speaks. */
  static final int PROTOCOL_VERSION = 1;

  @ParentCommand private KadmeshCommand parent;
  @Spec private CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "HOST:PORT",
      converter = HostPortConverter.class,
      description = "The node's peer address.")
  private String address;

  @Option(
      names = "--network",
      paramLabel = "NAME",
      defaultValue = Defaults.NETWORK,
      description = "The network name to announce (default: ${DEFAULT-VALUE}; env KADMESH_NETWORK).")
  private String network;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = Defaults.TIMEOUT,
      converter = DurationConverter.Positive.class,
      description = "The deadline of the ping (default: ${DEFAULT-VALUE}; env KADMESH_TIMEOUT).")
  private Duration timeout;

  @Override
  public Integer call() {
    PingRequest request =
        PingRequest.newBuilder()
            .setHeader(
                RequestHeader.newBuilder()
                    .setNetwork(network)
                    .setProtocolVersion(PROTOCOL_VERSION))
            .build();
    PingResponse response;
    long elapsedNanos;
    try (Connection open = Connection.open(parent.context(), address, timeout)) {
      KademliaGrpc.KademliaBlockingStub stub =
          KademliaGrpc.newBlockingStub(open.channel()).withDeadlineAfter(timeout);
      long start = System.nanoTime();
      response = stub.ping(request);
      elapsedNanos = System.nanoTime() - start;
    } catch (StatusRuntimeException e) {
      throw KadmeshException.from(e);
    }
    Contact responder = response.getHeader().getResponder();
    spec.commandLine()
        .getOut()
        .println(
            String.format(
                Locale.ROOT,
                "pong from %s at %s in %.1f ms",
                HexFormat.of().formatHex(responder.getNodeId().toByteArray()),
                responder.getAddress(),
                elapsedNanos / 1e6));
    return ExitCodes.OK;
  }

  @Override
  public String target() {
    return address;
  }

  @Override
  public Duration timeout() {
    return timeout;
  }
}
