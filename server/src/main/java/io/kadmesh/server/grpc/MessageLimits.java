package io.kadmesh.server.grpc;

import io.kadmesh.core.NodeConfig;

/**
 * The largest message a node takes in, on both ports and on its channels to peers, computed from
 * the config in this one place. gRPC's own default is 4 MiB, sixty times the default value limit:
 * a peer could make a node buffer and parse megabytes for a request that validation refuses anyway.
 */
public final class MessageLimits {
  /**
   * Room for everything but the value and the key: headers, contacts, versions, timestamps and
   * protobuf framing. A FindNode answer of k = 20 contacts with 260-byte addresses is about 6 KiB.
   */
  static final int HEADROOM_BYTES = 16 * 1024;

  /** A contact on the wire: a 32-byte ID, an address and their framing. */
  private static final int CONTACT_BYTES = 300;

  private MessageLimits() {}

  /**
   * The largest value plus the largest key plus headroom, and at least enough for an answer of k
   * contacts when k is large.
   */
  public static int maxInboundBytes(NodeConfig config) {
    long record = (long) config.maxValueBytes() + config.maxKeyBytes() + HEADROOM_BYTES;
    long contacts = (long) config.k() * CONTACT_BYTES + HEADROOM_BYTES;
    return (int) Math.min(Integer.MAX_VALUE, Math.max(record, contacts));
  }
}
