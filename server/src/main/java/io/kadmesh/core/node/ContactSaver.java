package io.kadmesh.core.node;

import io.kadmesh.core.Contact;
import io.kadmesh.core.Scheduler;
import io.kadmesh.core.routing.RoutingTable;
import io.kadmesh.core.storage.ContactStore;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the routing table's contacts to the {@link ContactStore} soon after the table changes
 * (at most once per delay) and when the node stops, so that a restarted node finds its network
 * through them even when it was killed seconds after it joined.
 *
 * <p>An empty table never replaces what was saved: a node that lost every contact keeps the ones
 * it knew for its next start.
 */
final class ContactSaver {
  private static final Logger log = LoggerFactory.getLogger(ContactSaver.class);

  private final RoutingTable table;
  private final ContactStore store;
  private final Scheduler scheduler;
  private final Duration delay;
  private Scheduler.Cancellable pending;
  private boolean stopped;

  ContactSaver(RoutingTable table, ContactStore store, Scheduler scheduler, Duration delay) {
    this.table = table;
    this.store = store;
    this.scheduler = scheduler;
    this.delay = delay;
  }

  /** The table changed: a save follows within the delay. */
  synchronized void changed() {
    if (stopped || pending != null) return;
    pending = scheduler.schedule(delay, () -> {
      synchronized (this) {
        pending = null;
        if (stopped) return;
      }
      saveNow();
    });
  }

  /** Saves at once (the node is stopping). */
  void saveNow() {
    List<Contact> contacts = table.contacts();
    if (contacts.isEmpty()) return;
    synchronized (store) {
      try {
        store.saveContacts(contacts);
      } catch (IOException | RuntimeException e) {
        log.warn("could not save the routing table's {} contacts: {}", contacts.size(), e.toString());
      }
    }
  }

  /** No more saves on changes. */
  synchronized void stop() {
    stopped = true;
    if (pending != null) pending.cancel();
    pending = null;
  }
}
