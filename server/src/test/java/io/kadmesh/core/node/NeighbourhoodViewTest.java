package io.kadmesh.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NeighbourhoodViewTest {
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final int K = 2;
  private static final Duration FRESH = Duration.ofMinutes(5);

  /** First bit set: IDs starting with a 0 bit sit in bucket 0, with 0b10 in bucket 1. */
  private final NodeId self = id(0x80, 0);
  private final NodeId key = id(0x00, 0x77);
  private final RoutingTable table = new RoutingTable(self, K, 4, 3, FRESH, NOW);
  private final NeighbourhoodView view = new NeighbourhoodView(table, K, FRESH);

  private static NodeId id(int first, int second) {
    byte[] b = new byte[NodeId.BYTES];
    b[0] = (byte) first;
    b[1] = (byte) second;
    b[31] = 1;
    return NodeId.fromBytes(b);
  }

  private void know(NodeId id) {
    table.seen(new Contact(id, id.shortHex() + ":1"), NOW);
  }

  @Test
  void view_withTheKeysBucketNotFull_andFreshContacts_isComplete() {
    know(id(0x00, 0x10));
    know(id(0xC0, 0x10));

    assertThat(view.candidates(key, NOW)).hasSize(2);
  }

  @Test
  void view_withTheKeysBucketFull_needsALookup() {
    know(id(0x00, 0x10));
    know(id(0x00, 0x20));

    assertThat(view.candidates(key, NOW)).isNull();
  }

  @Test
  void view_whoseClosestWereHeardFromBeforeTheFreshnessWindow_needsALookup() {
    know(id(0x00, 0x10));

    assertThat(view.candidates(key, NOW.plus(FRESH).minusSeconds(1))).hasSize(1);
    assertThat(view.candidates(key, NOW.plus(FRESH))).isNull();
  }

  @Test
  void view_withAClosestContactThatFailed_needsALookup() {
    Contact c = new Contact(id(0x00, 0x10), "c:1");
    table.seen(c, NOW);
    table.failed(c);

    assertThat(view.candidates(key, NOW)).isNull();
  }
}
