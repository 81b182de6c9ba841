package io.kadmesh.core.sim;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.PeerTransport.Subscription;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.node.KademliaNode;
import java.time.Duration;
import java.util.List;

/**
 * What the {@link InMemoryNetwork} delivers a request to: a node's side of the peer RPCs. Usually
 * the node itself ({@link #of}); a simulation may register a wrapper instead, to make a chosen
 * node answer as a lying peer would, without the node knowing.
 */
public interface PeerHandler {
  /** Whom this handler answers as: its ID is checked against the caller's expectation. */
  Contact self();

  /** PING: answers the contact the caller learns. */
  Contact handlePing(Contact sender);

  List<Contact> handleFindNode(Contact sender, NodeId target);

  FoundValue handleFindValue(Contact sender, NodeId key, RecordKind kind);

  StoreResult handleStore(Contact sender, ValueRecord record);

  Subscription handleSubscribe(Contact sender, NodeId key, RecordKind kind, Duration ttl);

  boolean handleNotify(Contact sender, NodeId key, RecordKind kind, List<ValueRecord> records);

  /** The node's own handlers, unchanged. */
  static PeerHandler of(KademliaNode node) {
    return new PeerHandler() {
      @Override
      public Contact self() {
        return node.self();
      }

      @Override
      public Contact handlePing(Contact sender) {
        node.handlePing(sender);
        return node.self();
      }

      @Override
      public List<Contact> handleFindNode(Contact sender, NodeId target) {
        return node.handleFindNode(sender, target);
      }

      @Override
      public FoundValue handleFindValue(Contact sender, NodeId key, RecordKind kind) {
        return node.handleFindValue(sender, key, kind);
      }

      @Override
      public StoreResult handleStore(Contact sender, ValueRecord record) {
        return node.handleStore(sender, record);
      }

      @Override
      public Subscription handleSubscribe(Contact sender, NodeId key, RecordKind kind,
          Duration ttl) {
        return node.handleSubscribe(sender, key, kind, ttl);
      }

      @Override
      public boolean handleNotify(Contact sender, NodeId key, RecordKind kind,
          List<ValueRecord> records) {
        return node.handleNotify(sender, key, kind, records);
      }
    };
  }
}
