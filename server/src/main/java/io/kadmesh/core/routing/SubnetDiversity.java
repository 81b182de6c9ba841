package io.kadmesh.core.routing;

import io.kadmesh.core.Contact;
import io.kadmesh.core.PeerAddress;
import java.util.Arrays;

/**
 * The routing table's diversity limits (go-libp2p-kbucket's peerdiversity): at most
 * {@code bucketLimit} contacts of one subnet ({@link PeerAddress#subnet()}) in a bucket and
 * {@code tableLimit} in the whole table, so that one host or one rented /24 cannot fill the
 * buckets that route to a key. Loopback addresses may be exempt, so that local meshes work, and
 * so may private networks' ({@link PeerAddress#isPrivate}): a cluster puts dozens of nodes in one
 * /24, and only its operator decides who runs them there; the limits guard a public network.
 * Counts the table's contacts (not its replacement caches). Not thread-safe: the
 * {@link RoutingTable} guards it.
 *
 * <p>Implementation notes: the counts are one sorted array of longs, one per counted contact: its
 * {@link SubnetKey} shifted left by 8 bits, plus its bucket's index, so that a subnet's contacts
 * sit together and, among them, each bucket's; both counts are two binary searches. A simulated
 * network holds a million tables of a few hundred contacts: a map of subnet strings cost about
 * 90 bytes per contact, this costs 8 to 16.
 */
public final class SubnetDiversity {
  /** No limits: every address is welcome (tests of the bucket rules, the simulator). */
  public static final SubnetDiversity NONE =
      new SubnetDiversity(Integer.MAX_VALUE, Integer.MAX_VALUE, true, true);

  /** The key of a contact that no limit applies to. */
  private static final long NOT_COUNTED = -1L;
  private static final long[] EMPTY = new long[0];
  private static final int FIRST_CAPACITY = 16;

  private final int bucketLimit;
  private final int tableLimit;
  private final boolean exemptLoopback;
  private final boolean exemptPrivate;
  /** Every counted contact's entry, ascending; the first {@code counted} slots are used. */
  private long[] entries = EMPTY;
  private int counted;

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
   * Whether {@code c} may join bucket {@code bucket}. {@code sameId}: the contact that bucket holds
   * with {@code c}'s ID at another address, or null; it is not counted, it would leave.
   * {@code without}: a contact of that bucket to count as already gone, or null.
   */
  boolean admits(Contact c, int bucket, Contact sameId, Contact without) {
    long key = keyOf(c.address());
    if (key == NOT_COUNTED) return true;
    long first = key << 8;
    int inTable = countBetween(first, first + 256);
    int inBucket = countBetween(first + bucket, first + bucket + 1);
    if (without != null && keyOf(without.address()) == key) inBucket--;
    int leaving = sameId != null && keyOf(sameId.address()) == key ? 1 : 0;
    return inBucket - leaving < bucketLimit && inTable - leaving < tableLimit;
  }

  void added(Contact c, int bucket) {
    long key = keyOf(c.address());
    if (key == NOT_COUNTED) return;
    long entry = (key << 8) | bucket;
    int at = lowerBound(entry);
    if (counted == entries.length) {
      entries = Arrays.copyOf(entries, Math.max(FIRST_CAPACITY, counted + (counted >> 1)));
    }
    System.arraycopy(entries, at, entries, at + 1, counted - at);
    entries[at] = entry;
    counted++;
  }

  void removed(Contact c, int bucket) {
    long key = keyOf(c.address());
    if (key == NOT_COUNTED) return;
    long entry = (key << 8) | bucket;
    int at = lowerBound(entry);
    if (at == counted || entries[at] != entry) return;
    System.arraycopy(entries, at + 1, entries, at, counted - at - 1);
    counted--;
  }

  /** How many contacts this table counts (those no exemption applies to). */
  int counted() {
    return counted;
  }

  /** The key counted for {@code address}, or NOT_COUNTED when it is not limited. */
  private long keyOf(String address) {
    if (bucketLimit == Integer.MAX_VALUE && tableLimit == Integer.MAX_VALUE) return NOT_COUNTED;
    long key = SubnetKey.of(address);
    if (exemptLoopback && SubnetKey.isLoopback(key)) return NOT_COUNTED;
    if (exemptPrivate && SubnetKey.isPrivate(key)) return NOT_COUNTED;
    return key;
  }

  private int countBetween(long from, long to) {
    return lowerBound(to) - lowerBound(from);
  }

  /** The first slot whose entry is at least {@code entry} in the order of (key, bucket). */
  private int lowerBound(long entry) {
    int lo = 0;
    int hi = counted;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries[mid] < entry) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
