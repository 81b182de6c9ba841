package io.kadmesh.cli;

import io.kadmesh.client.RecordPage;
import io.kadmesh.client.RecordSummary;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kadmesh records}: the records the node holds (its inventory, Admin's ListRecords), a page
 * at a time or all of them, as a table or one JSON object.
 */
@Command(
    name = "records",
    description = {
      "Lists the records the node holds: key hash, kind, size, version, expiry, last read, reads.",
      "Read counts are kept in the node's memory since it started."
    })
final class RecordsCommand extends ApiCommand {
  /** What the node allows in one page. */
  static final int MAX_LIMIT = 1000;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
      description = "Records per page, 1 to " + MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
  private int limit;

  @Option(names = "--page-token", paramLabel = "TOKEN", defaultValue = "",
      description = "Start where a former page ended (the token it printed).")
  private String pageToken;

  @Option(names = "--all", description = "Follow the pages to the last one.")
  private boolean all;

  @Option(names = "--json",
      description = "Print one JSON object: total, next_page_token and the records.")
  private boolean json;

  @Override
  public Integer call() {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw usageError("--limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
    List<RecordSummary> records = new ArrayList<>();
    RecordPage last = withClient(client -> {
      RecordPage page = client.listRecords(limit, pageToken);
      records.addAll(page.records());
      while (all && page.hasNext()) {
        page = client.listRecords(limit, page.nextPageToken());
        records.addAll(page.records());
      }
      return page;
    });
    if (json) {
      print(Json.object()
          .unsignedField("total", last.total())
          .field("next_page_token", last.nextPageToken())
          .field("records", records.stream().map(RecordsCommand::toJson).toList())
          .toString());
    } else {
      print(table(records, last));
    }
    return ExitCodes.OK;
  }

  private static final String ROW = "%-16s  %-8s  %8s  %-16s  %-20s  %-20s  %s";

  private static String table(List<RecordSummary> records, RecordPage last) {
    StringBuilder out = new StringBuilder(String.format(ROW, "KEY", "KIND", "BYTES", "VERSION",
        "EXPIRES", "LAST READ", "READS"));
    for (RecordSummary r : records) {
      out.append('\n').append(String.format(ROW,
          r.keyHex().substring(0, 16),
          r.kind() + (r.tombstone() ? "*" : ""),
          r.valueBytes(),
          Long.toUnsignedString(r.version().sequence()),
          seconds(r.expiresAt()),
          r.lastReadAt() == null ? "-" : seconds(r.lastReadAt()),
          r.readCount()));
    }
    out.append('\n').append(records.size()).append(" of ").append(last.total()).append(" records");
    if (records.stream().anyMatch(RecordSummary::tombstone)) {
      out.append(" (* a tombstone: a delete or a withdrawn endpoint)");
    }
    if (last.hasNext()) {
      out.append("\nnext page: --page-token ").append(last.nextPageToken());
    }
    return out.toString();
  }

  private static String seconds(Instant t) {
    return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static Json toJson(RecordSummary r) {
    return Json.object()
        .field("key", r.keyHex())
        .field("kind", r.kind())
        .unsignedField("value_bytes", r.valueBytes())
        .unsignedField("stored_bytes", r.storedBytes())
        .unsignedField("version", r.version().sequence())
        .field("writer", r.version().writerHex())
        .field("tombstone", r.tombstone())
        .field("expires_at", text(r.expiresAt()))
        .field("written_at", text(r.writtenAt()))
        .field("last_read_at", text(r.lastReadAt()))
        .unsignedField("read_count", r.readCount())
        .field("name", r.name())
        .field("public_key", r.publicKeyHex());
  }

  private static String text(Instant t) {
    return t == null ? null : t.toString();
  }
}
