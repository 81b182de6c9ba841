package io.kadmesh.client;

import io.grpc.ManagedChannel;
import io.kadmesh.client.testing.FakeDht;
import io.kadmesh.client.testing.InProcessNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A client test's fixture: a {@link FakeDht} served in process, and a client over a channel to it. */
abstract class FakeNodeFixture {
  protected final FakeDht dht = new FakeDht();
  protected InProcessNode node;
  protected ManagedChannel channel;
  protected KadmeshClient client;

  @BeforeEach
  void serveFakeNode() {
    node = InProcessNode.serve(dht);
    channel = node.newChannel();
    client = KadmeshClient.over(channel);
  }

  /** Closes the client, then the node with its channels. */
  @AfterEach
  void stop() {
    client.close();
    node.close();
  }
}
