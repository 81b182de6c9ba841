package io.kadmesh.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kadmesh xds-bootstrap}: the xDS bootstrap (gRFC A27) that points a gRPC application's
 * {@code xds:///SERVICE} targets at the node beside it: the node's API port as the one xDS server,
 * plaintext, speaking xDS v3. Written to stdout, for a file that {@code GRPC_XDS_BOOTSTRAP} names.
 * Calls nothing.
 */
@Command(
    name = "xds-bootstrap",
    description = "Prints the gRPC xDS bootstrap JSON for the node at --target: save it to a file "
        + "and point GRPC_XDS_BOOTSTRAP at it, then dial xds:///SERVICE from any gRPC language.")
final class XdsBootstrapCommand implements Callable<Integer> {

  /** The default node ID a client reports; the node serves every client alike. */
  static final String DEFAULT_NODE_ID = "kadmesh-xds-client";

  @Spec private CommandSpec spec;

  @Mixin private TargetOption target;

  // The longer name is the one the environment provider reads (KADMESH_XDS_NODE_ID): a container
  // that runs a node beside the application sets KADMESH_NODE_ID for the node, not for this.
  @Option(
      names = {"--node-id", "--xds-node-id"},
      paramLabel = "ID",
      defaultValue = DEFAULT_NODE_ID,
      description = "The node ID the gRPC client reports to the control plane (default: "
          + "${DEFAULT-VALUE}; environment: KADMESH_XDS_NODE_ID, not the node's KADMESH_NODE_ID).")
  private String nodeId;

  @Override
  public Integer call() {
    Json server = Json.object()
        .field("server_uri", target.address)
        .field("channel_creds", List.of(Json.object().field("type", "insecure")))
        .strings("server_features", List.of("xds_v3"));
    Json bootstrap = Json.object()
        .field("xds_servers", List.of(server))
        .field("node", Json.object().field("id", nodeId).field("locality", Json.object()));
    spec.commandLine().getOut().println(bootstrap);
    return ExitCodes.OK;
  }
}
