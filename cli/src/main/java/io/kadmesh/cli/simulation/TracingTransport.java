package io.kadmesh.cli.simulation;

import io.kadmesh.cli.bench.LookupTracer;
import io.kadmesh.core.Contact;
import io.kadmesh.core.NodeId;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.RecordKind;
import io.kadmesh.core.StoreResult;
import io.kadmesh.core.ValueRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A node's transport with the simulator watching: counts every request in the network's tally and
 * shows lookups' requests and answers to the {@link LookupTracer}. Adds no state per node beyond
 * its two fields.
 */
final class TracingTransport implements PeerTransport {
  private final PeerTransport inner;
  private final String self;
  private final LookupTracer tracer;
  private final long[] requests;

  /**
   * {@code requests}: tallies shared by every node (the simulator is single-threaded): [0] every
   * request, [1] pings.
   */
  TracingTransport(PeerTransport inner, String self, LookupTracer tracer, long[] requests) {
    this.inner = inner;
    this.self = self;
    this.tracer = tracer;
    this.requests = requests;
  }

  @Override
  public CompletableFuture<Contact> ping(String address) {
    requests[0]++;
    requests[1]++;
    return inner.ping(address);
  }

  @Override
  public CompletableFuture<List<Contact>> findNode(Contact to, NodeId target) {
    requests[0]++;
    tracer.sent(self, target, to.address());
    return inner.findNode(to, target).whenComplete((found, e) -> {
      if (e == null) tracer.answered(self, target, to.address(), addresses(found), false);
    });
  }

  @Override
  public CompletableFuture<FoundValue> findValue(Contact to, NodeId key, RecordKind kind) {
    requests[0]++;
    tracer.sent(self, key, to.address());
    return inner.findValue(to, key, kind).whenComplete((found, e) -> {
      if (e == null) {
        tracer.answered(self, key, to.address(), addresses(found.closest()), found.record() != null);
      }
    });
  }

  @Override
  public CompletableFuture<StoreResult> store(Contact to, ValueRecord record) {
    requests[0]++;
    tracer.sent(self, record.key(), to.address());
    return inner.store(to, record);
  }

  @Override
  public CompletableFuture<Subscription> subscribe(Contact to, NodeId key, RecordKind kind,
      Duration ttl) {
    requests[0]++;
    return inner.subscribe(to, key, kind, ttl);
  }

  @Override
  public CompletableFuture<Boolean> notify(Contact to, NodeId key, RecordKind kind,
      List<ValueRecord> records) {
    requests[0]++;
    return inner.notify(to, key, kind, records);
  }

  private static List<String> addresses(List<Contact> contacts) {
    List<String> out = new ArrayList<>(contacts.size());
    for (Contact c : contacts) out.add(c.address());
    return out;
  }
}
