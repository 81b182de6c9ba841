package io.kadmesh.cli;

import io.kadmesh.proto.v1.BucketInfo;
import io.kadmesh.proto.v1.GetNodeInfoResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/** Lays out a node's description for people. */
final class NodeInfoText {

  private NodeInfoText() {}

  static String format(GetNodeInfoResponse info, Instant now) {
    StringBuilder text = new StringBuilder();
    line(text, "node ID", HexFormat.of().formatHex(info.getNodeId().toByteArray()));
    line(text, "network", info.getNetwork());
    line(text, "peer address", info.getPeerAddress());
    line(text, "API address", info.getApiAddress());
    line(text, "advertised", info.getAdvertiseAddress());
    line(text, "k / alpha", info.getK() + " / " + info.getAlpha());
    line(text, "contacts", Integer.toUnsignedString(info.getContacts()));
    for (BucketInfo bucket : info.getBucketsList()) {
      text.append(
          String.format(
              "  bucket %d: %d contacts (%d waiting)%n",
              bucket.getIndex(), bucket.getContacts(), bucket.getReplacements()));
    }
    line(
        text,
        "records",
        Long.toUnsignedString(info.getRecords())
            + " ("
            + Long.toUnsignedString(info.getStoredBytes())
            + " bytes)");
    // Nodes that predate these fields send zeros and empty strings: print nothing for them.
    if (info.getMaxRecords() != 0 || info.getMaxStoredBytes() != 0) {
      line(
          text,
          "limits",
          Long.toUnsignedString(info.getMaxRecords())
              + " records, "
              + Long.toUnsignedString(info.getMaxStoredBytes())
              + " bytes");
    }
    if (!info.getStorage().isEmpty()) {
      line(
          text,
          "storage",
          info.getDataDir().isEmpty()
              ? info.getStorage()
              : info.getStorage() + " in " + info.getDataDir());
    }
    line(text, "uptime", uptime(info, now));
    return text.toString().stripTrailing();
  }

  private static String uptime(GetNodeInfoResponse info, Instant now) {
    if (!info.hasStartedAt()) {
      return "unknown";
    }
    Instant started =
        Instant.ofEpochSecond(info.getStartedAt().getSeconds(), info.getStartedAt().getNanos());
    Duration up = Duration.between(started, now);
    // Whole seconds: the milliseconds of an uptime are noise.
    return DurationConverter.format(up.isNegative() ? Duration.ZERO : up.withNanos(0));
  }

  private static void line(StringBuilder text, String label, String value) {
    text.append(String.format("%-13s %s%n", label, value.isEmpty() ? "-" : value));
  }
}
