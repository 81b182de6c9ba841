package io.kadmesh.core.sim;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.PeerTransport.Subscription;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link PeerHandler} that passes every request to another: a lying or watching peer extends it
 * and overrides only the answers it changes.
 */
public abstract class ForwardingPeerHandler implements PeerHandler {
  private final PeerHandler delegate;

  protected ForwardingPeerHandler(PeerHandler delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public Contact self() {
    return delegate.self();
  }

  @Override
  public Contact handlePing(Contact sender) {
    return delegate.handlePing(sender);
  }

  @Override
  public List<Contact> handleFindNode(Contact sender, NodeId target) {
    return delegate.handleFindNode(sender, target);
  }

  @Override
  public FoundValue handleFindValue(Contact sender, NodeId key, RecordKind kind) {
    return delegate.handleFindValue(sender, key, kind);
  }

  @Override
  public StoreResult handleStore(Contact sender, ValueRecord record) {
    return delegate.handleStore(sender, record);
  }

  @Override
  public Subscription handleSubscribe(Contact sender, NodeId key, RecordKind kind, Duration ttl) {
    return delegate.handleSubscribe(sender, key, kind, ttl);
  }

  @Override
  public boolean handleNotify(Contact sender, NodeId key, RecordKind kind,
      List<ValueRecord> records) {
    return delegate.handleNotify(sender, key, kind, records);
  }
}
