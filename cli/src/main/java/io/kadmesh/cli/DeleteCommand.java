package io.kadmesh.cli;

import io.kadmesh.client.DeleteResult;
import io.kadmesh.client.SignedRecords;
import io.kadmesh.client.SignedWriteResult;
import java.security.KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kadmesh delete KEY}: writes a tombstone that wins over older versions; with {@code
 * --sign-key FILE}, a signed tombstone for the signed record named KEY.
 */
@Command(
    name = "delete",
    description = "Deletes a key (writes a tombstone on its replicas); a signed record with --sign-key.")
final class DeleteCommand extends ApiCommand {

  @Mixin private KeyArgument key;

  @Mixin private SigningOptions signing;

  @Option(names = "--json", description = "Print the result as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    KeyPair keys = signing.keyPair(this::usageError);
    if (keys != null) {
      return deleteSigned(keys);
    }
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

  private int deleteSigned(KeyPair keys) {
    SignedWriteResult result = withClient(client -> {
      SignedRecords owner = client.signedBy(keys, context().clock());
      return signing.expectSeq == null
          ? owner.delete(key.value)
          : owner.compareAndDelete(key.value, signing.expectSeq);
    });
    print(json
        ? Formats.signedWriteJson(result, keys)
        : "deleted (tombstone seq " + result.seq() + " on " + Formats.replicas(result.replicas()) + ")");
    return ExitCodes.OK;
  }
}
