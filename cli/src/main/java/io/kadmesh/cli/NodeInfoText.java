package io.kadmesh.cli;

import io.kadmesh.client.BucketSummary;
import io.kadmesh.client.NodeInfo;
import io.kadmesh.client.StorageSummary;
import java.time.Duration;
import java.time.Instant;

/** Lays out a node's description for people. */
final class NodeInfoText {

  private NodeInfoText() {}

  static String format(NodeInfo info, Instant now) {
    StringBuilder text = new StringBuilder();
    line(text, "node ID", info.nodeIdHex());
    line(text, "network", info.network());
    line(text, "peer address", info.peerAddress());
    line(text, "API address", info.apiAddress());
    line(text, "advertised", info.advertiseAddress());
    line(text, "k / alpha", info.k() + " / " + info.alpha());
    line(text, "status", info.cutOff()
        ? "cut off: reaches no peer; retrying its saved contacts and bootstrap addresses"
        : "serving");
    line(text, "write quorum", Integer.toString(info.writeQuorum()));
    line(text, "contacts", Integer.toUnsignedString(info.contacts())
        + (info.liveContacts() < info.contacts() ? " (" + info.liveContacts() + " live)" : ""));
    for (BucketSummary bucket : info.buckets()) {
      text.append(
          String.format(
              "  bucket %d: %d contacts (%d waiting)%n",
              bucket.index(), bucket.contacts(), bucket.replacements()));
    }
    StorageSummary storage = info.storage();
    line(text, "records", unsigned(storage.records()) + " (" + unsigned(storage.storedBytes()) + " bytes)");
    // Nodes that predate these fields send zeros and empty strings: print nothing for them.
    if (storage.hasLimits()) {
      line(
          text,
          "limits",
          unsigned(storage.maxRecords()) + " records, " + unsigned(storage.maxStoredBytes()) + " bytes");
    }
    if (!storage.engine().isEmpty()) {
      String where = storage.dataDir().isEmpty() ? "" : " in " + storage.dataDir();
      line(text, "storage", storage.engine() + where);
    }
    line(text, "uptime", uptime(info.startedAt(), now));
    return text.toString().stripTrailing();
  }

  private static String unsigned(long value) {
    return Long.toUnsignedString(value);
  }

  private static String uptime(Instant started, Instant now) {
    if (started == null) {
      return "unknown";
    }
    Duration up = Duration.between(started, now);
    // Whole seconds: the milliseconds of an uptime are noise.
    return DurationConverter.format(up.isNegative() ? Duration.ZERO : up.withNanos(0));
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format("%-13s %s%n", label, value.isEmpty() ? "-" : value));
  }
}
