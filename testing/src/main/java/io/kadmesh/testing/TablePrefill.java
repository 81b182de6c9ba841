package io.kadmesh.testing;

import io.kadmesh.core.NodeId;
import io.kadmesh.core.node.KademliaNode;
import io.kadmesh.core.routing.RoutingTable;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * Routing tables as a long-running network would have them, without joining: bucket i of node x
 * gets up to k contacts drawn at random from the nodes sharing exactly i leading bits with x (a
 * contiguous range of the sorted ID list). Joining 100,000 nodes one by one through real lookups
 * would take hours; this takes seconds.
 */
final class TablePrefill {
  private final List<KademliaNode> sorted;
  private final Random random;

  private TablePrefill(List<KademliaNode> sorted, Random random) {
    this.sorted = sorted;
    this.random = random;
  }

  /** Fills every node's buckets; {@code sorted} holds the nodes in ascending ID order. */
  static void fill(List<KademliaNode> sorted, int k, Instant now, Random random) {
    new TablePrefill(sorted, random).fill(k, now);
  }

  private void fill(int k, Instant now) {
    int size = sorted.size();
    int[] pick = new int[k];
    for (int j = 0; j < size; j++) {
      KademliaNode x = sorted.get(j);
      NodeId id = x.self().id();
      RoutingTable table = x.routingTable();
      int deepest = 0;
      if (j > 0) deepest = Math.max(deepest, id.commonPrefixLength(sorted.get(j - 1).self().id()));
      if (j + 1 < size) deepest = Math.max(deepest, id.commonPrefixLength(sorted.get(j + 1).self().id()));
      byte[] bytes = id.toBytes();
      for (int i = 0; i <= deepest && i < NodeId.BITS; i++) {
        // Bucket i: x's first i bits, then the opposite of x's bit i, then anything.
        int lo = lowerBound(prefixBound(bytes, i, false));
        int hi = upperBound(prefixBound(bytes, i, true));
        int count = hi - lo;
        if (count <= 0) continue;
        int n = Math.min(count, k);
        sample(count, n, pick);
        for (int p = 0; p < n; p++) {
          table.seen(sorted.get(lo + pick[p]).self(), now);
        }
      }
    }
  }

  /**
   * The lowest (or highest) ID that shares exactly {@code i} leading bits with {@code id}: its
   * first i bits, the opposite of bit i, then zeros (or ones).
   */
  private static NodeId prefixBound(byte[] id, int i, boolean high) {
    byte[] b = id.clone();
    int byteIndex = i / 8;
    int bit = 7 - (i % 8);
    b[byteIndex] ^= (byte) (1 << bit);
    int lowMask = (1 << bit) - 1;
    if (high) {
      b[byteIndex] |= (byte) lowMask;
    } else {
      b[byteIndex] &= (byte) ~lowMask;
    }
    for (int k = byteIndex + 1; k < b.length; k++) b[k] = high ? (byte) 0xFF : 0;
    return NodeId.fromBytes(b);
  }

  /** The first index whose ID is at least {@code bound}. */
  private int lowerBound(NodeId bound) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).self().id().compareTo(bound) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first index whose ID is above {@code bound}. */
  private int upperBound(NodeId bound) {
    int lo = 0;
    int hi = sorted.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted.get(mid).self().id().compareTo(bound) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** {@code n} distinct offsets in [0, count) into {@code out} (Floyd's algorithm for small n). */
  private void sample(int count, int n, int[] out) {
    if (n == count) {
      for (int i = 0; i < n; i++) out[i] = i;
      return;
    }
    int filled = 0;
    for (int j = count - n; j < count; j++) {
      int t = random.nextInt(j + 1);
      boolean taken = false;
      for (int q = 0; q < filled; q++) {
        if (out[q] == t) {
          taken = true;
          break;
        }
      }
      out[filled++] = taken ? j : t;
    }
  }
}
