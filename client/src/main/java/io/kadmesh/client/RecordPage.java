package io.kadmesh.client;

import java.util.List;

/**
 * One page of a node's inventory ({@link KadmeshClient#listRecords}).
 *
 * @param records the records, in the node's key order
 * @param nextPageToken what to pass for the next page; empty when this is the last
 * @param total how many records the node holds, all pages together
 */
public record RecordPage(List<RecordSummary> records, String nextPageToken, long total) {
  public RecordPage {
    records = List.copyOf(records);
  }

  /** Whether a next page exists. */
  public boolean hasNext() {
    return !nextPageToken.isEmpty();
  }
}
