package io.kadmesh.cli;

import io.kadmesh.client.DeleteResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kadmesh delete KEY}: writes a tombstone that wins over older versions. */
@Command(name = "delete", description = "Deletes a key (writes a tombstone on its replicas).")
final class DeleteCommand extends ApiCommand implements Callable<Integer> {

  @ParentCommand private KadmeshCommand parent;
  @Spec private CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8).")
  private String key;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    DeleteResult result;
    try (Connection open = connection.open(parent.context())) {
      result = open.client().delete(key);
    }
    String text =
        json
            ? Json.object()
                .field("replicas", result.replicas())
                .field("version", Formats.versionJson(result.version()))
                .toString()
            : "deleted (tombstone on " + Formats.replicas(result.replicas()) + ")";
    spec.commandLine().getOut().println(text);
    return ExitCodes.OK;
  }
}
