package io.kadmesh.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.kadmesh.proto.v1.GetNodeInfoResponse;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kadmesh info}: the node's ID, addresses, routing table and storage summary. */
@Command(name = "info", description = "Describes the node: ID, addresses, routing table, storage.")
final class InfoCommand extends ApiCommand implements Callable<Integer> {

  @ParentCommand private KadmeshCommand parent;
  @Spec private CommandSpec spec;

  @Option(names = "--json", description = "Print the node's answer as JSON (protobuf's mapping).")
  private boolean json;

  @Override
  public Integer call() throws InvalidProtocolBufferException {
    GetNodeInfoResponse info;
    try (Connection open = connection.open(parent.context())) {
      info = open.client().info();
    }
    String text =
        json
            ? JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(info)
            : NodeInfoText.format(info, parent.context().clock().instant());
    spec.commandLine().getOut().println(text);
    return ExitCodes.OK;
  }
}
