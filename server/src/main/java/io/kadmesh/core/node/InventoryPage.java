package io.kadmesh.core.node;

import io.kadmesh.core.storage.StoredKey;
import java.util.List;

/**
 * One page of the node's inventory ({@link KademliaNode#inventory}).
 *
 * @param records the records, in ascending {@link StoredKey} order
 * @param next where the next page starts (pass it as {@code after}); null when this page is the last
 * @param total how many records the node holds now, all pages together
 */
public record InventoryPage(List<HeldRecord> records, StoredKey next, long total) {
  public InventoryPage {
    records = List.copyOf(records);
  }
}
