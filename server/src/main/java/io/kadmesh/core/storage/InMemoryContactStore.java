package io.kadmesh.core.storage;

import io.kadmesh.core.Contact;
import java.util.List;

/**
 * A {@link ContactStore} in memory: for nodes that keep nothing on disk, and for simulations, where
 * a node "restarted" with the same instance finds what it saved before. Thread-safe.
 */
public final class InMemoryContactStore implements ContactStore {
  private volatile List<Contact> contacts = List.of();
  private volatile List<String> bootstrap = List.of();

  @Override
  public List<Contact> contacts() {
    return contacts;
  }

  @Override
  public void saveContacts(List<Contact> contacts) {
    this.contacts = List.copyOf(contacts);
  }

  @Override
  public List<String> bootstrapAddresses() {
    return bootstrap;
  }

  @Override
  public void saveBootstrapAddresses(List<String> addresses) {
    this.bootstrap = List.copyOf(addresses);
  }
}
