package io.kadmesh.cli;

import io.kadmesh.client.KadmeshClient;
import io.kadmesh.client.RoutingContact;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kadmesh contacts}: the node's routing table (Admin's ListContacts), by bucket. */
@Command(name = "contacts",
    description = "Lists the node's routing table by bucket: node ID, address, last contact, state.")
final class ContactsCommand extends ApiCommand {

  @Option(names = "--json", description = "Print one JSON object per contact, one per line.")
  private boolean json;

  @Override
  public Integer call() {
    List<RoutingContact> contacts = withClient(KadmeshClient::listContacts);
    if (json) {
      contacts.forEach(c -> print(toJson(c).toString()));
    } else {
      print(table(contacts, context().clock().instant()));
    }
    return ExitCodes.OK;
  }

  private static final String ROW = "%6s  %-16s  %-21s  %-10s  %s";

  private static String table(List<RoutingContact> contacts, Instant now) {
    StringBuilder out = new StringBuilder(String.format(ROW, "BUCKET", "NODE ID", "ADDRESS",
        "LAST SEEN", "STATE"));
    for (RoutingContact c : contacts) {
      out.append('\n').append(String.format(ROW, c.bucket(), c.nodeIdHex().substring(0, 16),
          c.address(), ago(c.lastSeenAt(), now), state(c)));
    }
    long waiting = contacts.stream().filter(RoutingContact::replacement).count();
    out.append('\n').append(contacts.size() - waiting).append(" contacts");
    if (waiting > 0) out.append(", ").append(waiting).append(" waiting in replacement caches");
    return out.toString();
  }

  private static String state(RoutingContact c) {
    if (c.replacement()) return "waiting (replacement cache)";
    if (c.stale()) return "stale (" + c.failures() + " failures in a row)";
    return c.failures() == 0 ? "live" : "live (" + c.failures() + " failures in a row)";
  }

  /** "12s ago", "3m ago", "2h ago"; "-" when unknown. */
  static String ago(Instant then, Instant now) {
    if (then == null) return "-";
    Duration d = Duration.between(then, now);
    if (d.isNegative()) d = Duration.ZERO;
    if (d.toMinutes() < 1) return d.toSeconds() + "s ago";
    if (d.toHours() < 1) return d.toMinutes() + "m ago";
    if (d.toDays() < 1) return d.toHours() + "h ago";
    return d.toDays() + "d ago";
  }

  private static Json toJson(RoutingContact c) {
    return Json.object()
        .field("bucket", c.bucket())
        .field("node_id", c.nodeIdHex())
        .field("address", c.address())
        .field("last_seen_at", c.lastSeenAt() == null ? null : c.lastSeenAt().toString())
        .field("failures", c.failures())
        .field("stale", c.stale())
        .field("replacement", c.replacement());
  }
}
