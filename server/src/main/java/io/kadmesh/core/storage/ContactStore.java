package io.kadmesh.core.storage;

import io.kadmesh.core.Contact;
import java.io.IOException;
import java.util.List;

/**
 * What a node keeps to find its network again after a restart: the contacts its routing table
 * held and the bootstrap addresses it was last started with. A restarted node joins through both,
 * so it rejoins even when it is started with no bootstrap, or when its bootstrap nodes are gone.
 */
public interface ContactStore {
  /** The contacts saved last; none when nothing was saved. */
  List<Contact> contacts() throws IOException;

  /** Replaces the saved contacts. */
  void saveContacts(List<Contact> contacts) throws IOException;

  /** The bootstrap addresses saved last; none when the node was never given any. */
  List<String> bootstrapAddresses() throws IOException;

  /** Replaces the saved bootstrap addresses. */
  void saveBootstrapAddresses(List<String> addresses) throws IOException;
}
