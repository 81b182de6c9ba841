package io.kadmesh.cli.bench;

import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches one node's peer requests for one target from the outside (a transport decorator or a
 * client interceptor feeds it) and works out what the operation cost: requests sent, and hops.
 *
 * <p>A hop is one link of the longest chain of answers the lookup waited on: a contact the node
 * already knew (a seed) is at depth 1, a contact first learned from an answer at depth d is at
 * depth d + 1, and the operation's hops are the greatest depth that answered. With α = 3 requests
 * in flight this is the number of round trips on the lookup's critical path, the quantity the
 * paper's log2(N) bound is about. STORE requests count as requests, not as hops.
 *
 * <p>Untraced requests (no {@link #begin} for that sender and target: pings, maintenance) are
 * ignored here; count them elsewhere.
 */
public final class LookupTracer {
  /** What one traced operation cost. {@code valueHops} is -1 when no answer carried a record. */
  public record Cost(int requests, int hops, int valueHops) {}

  private record Key(String sender, NodeId target) {}

  private final Map<Key, Trace> traces = new ConcurrentHashMap<>();

  /**
   * Starts tracing what {@code sender} sends for {@code target}; {@code seeds} are the contacts
   * its lookup starts from (its routing table's closest), at depth 1.
   */
  public void begin(String sender, NodeId target, Collection<Contact> seeds) {
    Trace t = new Trace();
    for (Contact c : seeds) {
      t.depth.put(c.address(), 1);
    }
    traces.put(new Key(sender, target), t);
  }

  /** Stops tracing and answers the cost; zero cost when nothing was traced. */
  public Cost end(String sender, NodeId target) {
    Trace t = traces.remove(new Key(sender, target));
    if (t == null) return new Cost(0, 0, -1);
    synchronized (t) {
      return new Cost(t.requests, t.maxDepth, t.valueDepth);
    }
  }

  /** {@code sender} sent a request about {@code target} to {@code callee}. */
  public void sent(String sender, NodeId target, String callee) {
    Trace t = traces.get(new Key(sender, target));
    if (t == null) return;
    synchronized (t) {
      t.requests++;
    }
  }

  /**
   * {@code callee} answered {@code sender}'s lookup request with these contacts, and with a record
   * or not.
   */
  public void answered(String sender, NodeId target, String callee, Collection<String> learned,
      boolean carriedRecord) {
    Trace t = traces.get(new Key(sender, target));
    if (t == null) return;
    synchronized (t) {
      int d = t.depth.computeIfAbsent(callee, a -> 1);
      t.maxDepth = Math.max(t.maxDepth, d);
      if (carriedRecord && (t.valueDepth < 0 || d < t.valueDepth)) t.valueDepth = d;
      for (String a : learned) {
        t.depth.putIfAbsent(a, d + 1);
      }
    }
  }

  private static final class Trace {
    final Map<String, Integer> depth = new HashMap<>();
    int requests;
    int maxDepth;
    int valueDepth = -1;
  }
}
