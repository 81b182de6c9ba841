package io.kadmesh.core.lookup;

import io.kadmesh.core.Contact;

/** Hears how each contact a lookup asked fared, so that the routing table learns from it (§2.2). */
public interface LookupObserver {
  /** {@code contact} answered. */
  void answered(Contact contact);

  /** {@code contact} failed or did not answer within the RPC timeout. */
  void failed(Contact contact);

  /** An observer that ignores everything. */
  LookupObserver NONE = new LookupObserver() {
    @Override
    public void answered(Contact contact) {}

    @Override
    public void failed(Contact contact) {}
  };
}
