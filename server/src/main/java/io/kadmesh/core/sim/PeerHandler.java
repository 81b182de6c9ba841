package io.kadmesh.core.sim;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport.FoundValue;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import io.kadmesh.core.node.KademliaNode;
import java.util.List;

/**
 * What the {@link InMemoryNetwork} delivers a request to: a node's side of the four RPCs. Usually
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
    };
  }
}
