package io.kadmesh.cli;

import io.kadmesh.client.DrainResult;
import io.kadmesh.client.KadmeshClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kadmesh drain}: takes the node out of service before a planned shutdown (Admin's Drain)
 * and says what it did.
 */
@Command(name = "drain",
    description = {
      "Takes the node out of service before a planned shutdown: health NOT_SERVING, its announced "
          + "endpoints withdrawn (a restart announces them again), its records handed to the "
          + "closest other nodes. It keeps answering reads until it stops. Safe to run again.",
      "The node fits the hand-off within this command's --timeout (at most twice its operation "
          + "timeout)."
    })
final class DrainCommand extends ApiCommand {

  @Option(names = "--json", description = "Print what the drain did as one JSON object.")
  private boolean json;

  @Override
  public Integer call() {
    DrainResult r = withClient(KadmeshClient::drain);
    if (json) {
      print(Json.object()
          .unsignedField("records_held", r.recordsHeld())
          .unsignedField("records_handed_off", r.recordsHandedOff())
          .field("announcements_withdrawn", r.announcementsWithdrawn())
          .field("already_drained", r.alreadyDrained())
          .field("timed_out", r.timedOut())
          .toString());
      return ExitCodes.OK;
    }
    print((r.alreadyDrained() ? "drained already; " : "drained: ")
        + "health NOT_SERVING until the node stops");
    print("records: " + r.recordsHandedOff() + " of " + r.recordsHeld()
        + " handed off to other nodes" + (r.timedOut()
            ? " (the time ran out first: run drain again with a longer --timeout)" : ""));
    print("announcements: " + r.announcementsWithdrawn() + " withdrawn"
        + (r.alreadyDrained() ? " (withdrawn by the first drain)" : ""));
    return ExitCodes.OK;
  }
}
