package io.kadmesh.cli;

import io.kadmesh.client.BucketSummary;
import io.kadmesh.client.KadmeshClient;
import io.kadmesh.client.NodeInfo;
import io.kadmesh.client.StorageSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kadmesh info}: the node's ID, addresses, routing table and storage summary. */
@Command(name = "info", description = "Describes the node: ID, addresses, routing table, storage.")
final class InfoCommand extends ApiCommand {

  @Option(names = "--json", description = "Print the node's description as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    NodeInfo info = withClient(KadmeshClient::info);
    print(json ? toJson(info).toString() : NodeInfoText.format(info, context().clock().instant()));
    return ExitCodes.OK;
  }

  private static Json toJson(NodeInfo info) {
    StorageSummary storage = info.storage();
    return Json.object()
        .field("node_id", info.nodeIdHex())
        .field("network", info.network())
        .field("peer_address", info.peerAddress())
        .field("api_address", info.apiAddress())
        .field("advertise_address", info.advertiseAddress())
        .field("k", info.k())
        .field("alpha", info.alpha())
        .field("contacts", Integer.toUnsignedLong(info.contacts()))
        .field("live_contacts", Integer.toUnsignedLong(info.liveContacts()))
        .field("cut_off", info.cutOff())
        .field("write_quorum", info.writeQuorum())
        .field("buckets", info.buckets().stream().map(InfoCommand::toJson).toList())
        .field(
            "storage",
            Json.object()
                .unsignedField("records", storage.records())
                .unsignedField("stored_bytes", storage.storedBytes())
                .unsignedField("max_records", storage.maxRecords())
                .unsignedField("max_stored_bytes", storage.maxStoredBytes())
                .field("engine", storage.engine())
                .field("data_dir", storage.dataDir()))
        .field("started_at", info.startedAt() == null ? null : info.startedAt().toString());
  }

  private static Json toJson(BucketSummary bucket) {
    return Json.object()
        .field("index", bucket.index())
        .field("contacts", bucket.contacts())
        .field("replacements", bucket.replacements());
  }
}
