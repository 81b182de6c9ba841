package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The routing table's diversity limits (go-libp2p-kbucket's peerdiversity): at most
 * {@code bucketLimit} contacts of one subnet ({@link PeerAddress#subnet()}) in a bucket and
 * {@code tableLimit} in the whole table, so that one host or one rented /24 cannot fill the
 * buckets that route to a key. Loopback addresses may be exempt, so that local meshes work, and
 * so may private networks' ({@link PeerAddress#isPrivate}): a cluster puts dozens of nodes in one
 * /24, and only its operator decides who runs them there; the limits guard a public network.
 * Counts the table's contacts (not its replacement caches). Not thread-safe: the
 * {@link RoutingTable} guards it.
 */
public final class SubnetDiversity {
  /** No limits: every address is welcome (tests of the bucket rules, the simulator). */
  public static final SubnetDiversity NONE =
      new SubnetDiversity(Integer.MAX_VALUE, Integer.MAX_VALUE, true, true);

  private final int bucketLimit;
  private final int tableLimit;
  private final boolean exemptLoopback;
  private final boolean exemptPrivate;
  private final Map<String, Integer> inTable = new HashMap<>();

  public SubnetDiversity(int bucketLimit, int tableLimit, boolean exemptLoopback,
      boolean exemptPrivate) {
    if (bucketLimit < 1 || tableLimit < 1) {
      throw new IllegalArgumentException("subnet limits must be at least 1: " + bucketLimit + ", " + tableLimit);
    }
    this.bucketLimit = bucketLimit;
    this.tableLimit = tableLimit;
    this.exemptLoopback = exemptLoopback;
    this.exemptPrivate = exemptPrivate;
  }

  /** A fresh, empty copy with the same limits (each table counts its own contacts). */
  SubnetDiversity copy() {
    return new SubnetDiversity(bucketLimit, tableLimit, exemptLoopback, exemptPrivate);
  }

  /**
   * Whether {@code c} may join a bucket holding the first {@code n} of {@code bucket} (which may
   * include {@code c}'s ID at another address: that one is not counted, it would leave); a contact
   * whose ID is {@code without} (may be null) is left out, as if already gone.
   */
  boolean admits(Contact c, Contact[] bucket, int n, NodeId without) {
    String subnet = subnetOf(c.address());
    if (subnet == null) return true;
    int inBucket = 0;
    int leaving = 0;
    for (int i = 0; i < n; i++) {
      Contact other = bucket[i];
      if (without != null && other.id().equals(without)) continue;
      if (!subnet.equals(subnetOf(other.address()))) continue;
      if (other.id().equals(c.id())) {
        leaving++;
      } else {
        inBucket++;
      }
    }
    return inBucket < bucketLimit && inTable.getOrDefault(subnet, 0) - leaving < tableLimit;
  }

  void added(Contact c) {
    String subnet = subnetOf(c.address());
    if (subnet != null) inTable.merge(subnet, 1, Integer::sum);
  }

  void removed(Contact c) {
    String subnet = subnetOf(c.address());
    if (subnet != null) inTable.computeIfPresent(subnet, (s, n) -> n <= 1 ? null : n - 1);
  }

  /** The subnet counted for {@code address}, or null when it is not limited. */
  private String subnetOf(String address) {
    if (bucketLimit == Integer.MAX_VALUE && tableLimit == Integer.MAX_VALUE) return null;
    PeerAddress a = PeerAddress.parse(address);
    if (a == null) return "unparsable";
    if (exemptLoopback && a.isLoopback()) return null;
    if (exemptPrivate && a.isPrivate()) return null;
    return a.subnet();
  }
}
