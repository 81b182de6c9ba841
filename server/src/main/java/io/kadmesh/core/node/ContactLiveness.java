package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.lookup.LookupObserver;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.routing.UpdateResult;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Feeds the routing table what the node hears, and does the I/O the table asks for: when a full
 * bucket names its least-recently seen contact, pings it and reports the outcome (paper §2.2).
 */
final class ContactLiveness implements LookupObserver {
  private final RoutingTable table;
  private final PeerTransport transport;
  private final Scheduler scheduler;
  private final Duration rpcTimeout;
  private final Consumer<Contact> onAdded;
  private final Consumer<Contact> onFailed;

  ContactLiveness(RoutingTable table, PeerTransport transport, Scheduler scheduler,
      Duration rpcTimeout, Consumer<Contact> onAdded, Consumer<Contact> onFailed) {
    this.table = table;
    this.transport = transport;
    this.scheduler = scheduler;
    this.rpcTimeout = rpcTimeout;
    this.onAdded = onAdded;
    this.onFailed = onFailed;
  }

  /** {@code contact} sent a request or answered one. */
  void seen(Contact contact) {
    apply(contact, table.seen(contact, scheduler.now()));
  }

  /** {@code contact} pinged this node: learned, but never the cause of another ping. */
  void pinged(Contact contact) {
    apply(contact, table.seenPing(contact, scheduler.now()));
  }

  private void apply(Contact contact, UpdateResult r) {
    if (r.outcome() == UpdateResult.Outcome.ADDED) {
      onAdded.accept(contact);
    }
    if (r.toPing() != null) {
      pingLeastRecentlySeen(r.toPing());
    }
  }

  @Override
  public void answered(Contact contact) {
    seen(contact);
  }

  @Override
  public void failed(Contact contact) {
    table.failed(contact);
    onFailed.accept(contact);
  }

  private void pingLeastRecentlySeen(Contact lrs) {
    Timeouts.within(transport.ping(lrs.address()), rpcTimeout, scheduler, "ping")
        .whenComplete((answer, e) -> {
          // Another ID at that address means the old node is gone: as good as no answer.
          if (e == null && answer != null && answer.id().equals(lrs.id())) {
            table.pingAnswered(lrs, scheduler.now());
          } else {
            table.pingFailed(lrs);
            onFailed.accept(lrs);
          }
        });
  }
}
