package io.kadmesh.cli;

import io.kadmesh.proto.v1.Contact;
import io.kadmesh.proto.v1.KademliaGrpc;
import io.kadmesh.proto.v1.PingRequest;
import io.kadmesh.proto.v1.PingResponse;
import io.kadmesh.proto.v1.RequestHeader;
import io.kadmesh.tls.TlsCredentials.HostCheck;
import java.util.HexFormat;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code kadmesh ping HOST:PORT}: calls Kademlia Ping on a peer port as a tool, not a node (no
 * sender in the header), so the peer answers without adding it to its routing table.
 */
@Command(name = "ping", description = "Pings a node's peer port and reports who answered.")
final class PingCommand extends RemoteCommand {

  /** The peer protocol version this client speaks. */
  static final int PROTOCOL_VERSION = 1;

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

  @Override
  String target() {
    return address;
  }

  /** A peer port's certificate names a node, not a host: its chain to the CA is what is checked. */
  @Override
  HostCheck hostCheck() {
    return HostCheck.CHAIN_ONLY;
  }

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
    try (Connection connection = connect()) {
      KademliaGrpc.KademliaBlockingStub stub =
          KademliaGrpc.newBlockingStub(connection.channel()).withDeadlineAfter(timeout());
      long start = System.nanoTime();
      response = stub.ping(request);
      elapsedNanos = System.nanoTime() - start;
    }
    Contact responder = response.getHeader().getResponder();
    print(
        String.format(
            Locale.ROOT,
            "pong from %s at %s in %.1f ms",
            HexFormat.of().formatHex(responder.getNodeId().toByteArray()),
            responder.getAddress(),
            elapsedNanos / 1e6));
    return ExitCodes.OK;
  }
}
