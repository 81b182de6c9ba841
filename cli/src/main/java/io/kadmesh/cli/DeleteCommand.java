package io.kadmesh.cli;

import io.kadmesh.client.DeleteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kadmesh delete KEY}: writes a tombstone that wins over older versions. */
@Command(name = "delete", description = "Deletes a key (writes a tombstone on its replicas).")
final class DeleteCommand extends ApiCommand {

  @Mixin private KeyArgument key;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    DeleteResult result = withClient(client -> client.delete(key.value));
    print(
        json
            ? Json.object()
                .field("replicas", result.replicas())
                .field("version", Formats.versionJson(result.version()))
                .toString()
            : "deleted (tombstone on " + Formats.replicas(result.replicas()) + ")");
    return ExitCodes.OK;
  }
}
