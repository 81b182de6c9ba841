package io.kadmesh.core.lookup;

import io.kadmesh.core.Contact;
import java.util.Collection;

/** Hears how each contact a lookup asked fared, so that the routing table learns from it (§2.2). */
public interface LookupObserver {
  /** {@code contact} answered. */
  void answered(Contact contact);

  /** {@code contact} failed or did not answer within the RPC timeout. */
  void failed(Contact contact);

  /**
   * The lookup is over (done, failed or cancelled); {@code asked}: every contact it sent a request
   * to, so that what was opened for the ones that stay strangers can be released.
   */
  default void finished(Collection<Contact> asked) {}

  /** An observer that ignores everything. */
  LookupObserver NONE = new LookupObserver() {
    @Override
    public void answered(Contact contact) {}

    @Override
    public void failed(Contact contact) {}
  };
}
