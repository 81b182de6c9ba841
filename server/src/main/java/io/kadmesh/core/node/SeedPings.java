package io.kadmesh.core.node;

import io.kadmesh.core.AddressResolver;
import io.kadmesh.core.Contact;
import io.kadmesh.core.PeerTransport;
import io.kadmesh.core.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Pings every node a bootstrap address (a seed) stands for: the seed is resolved again on each
 * ping, so that a name whose addresses change (pods coming and going behind a headless service)
 * reaches the nodes behind it now. A seed that does not resolve is pinged as it is, as gRPC would.
 */
final class SeedPings {
  private final Contact self;
  private final PeerTransport transport;
  private final AddressResolver resolver;
  private final Scheduler scheduler;
  private final Duration timeout;

  SeedPings(Contact self, PeerTransport transport, AddressResolver resolver, Scheduler scheduler,
      Duration timeout) {
    this.self = self;
    this.transport = transport;
    this.resolver = resolver;
    this.scheduler = scheduler;
    this.timeout = timeout;
  }

  /** What pinging one seed found: who answered at which address, and the addresses that did not. */
  record Reached(Map<String, Contact> answered, List<String> silent) {}

  /** The addresses {@code seed} stands for now, without this node's own. */
  CompletableFuture<List<String>> addresses(String seed) {
    CompletableFuture<List<String>> resolved;
    try {
      resolved = Timeouts.within(resolver.resolve(seed), timeout, scheduler, "resolve " + seed);
    } catch (RuntimeException e) {
      resolved = CompletableFuture.failedFuture(e);
    }
    return resolved.handle((all, e) -> {
      Set<String> out = new LinkedHashSet<>(e != null || all.isEmpty() ? List.of(seed) : all);
      out.remove(self.address());
      return List.copyOf(out);
    });
  }

  /** Pings each address {@code seed} stands for; completes when each answered or failed. */
  CompletableFuture<Reached> ping(String seed) {
    return addresses(seed).thenCompose(this::pingEach);
  }

  /** Pings each of {@code addresses}, already resolved. */
  CompletableFuture<Reached> pingEach(List<String> addresses) {
    List<CompletableFuture<Contact>> pings = new ArrayList<>();
    for (String address : addresses) {
      pings.add(Timeouts.within(transport.ping(address), timeout, scheduler, "ping")
          .handle((c, e) -> e == null ? c : null));
    }
    return CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)).thenApply(v -> {
      Map<String, Contact> answered = new LinkedHashMap<>();
      List<String> silent = new ArrayList<>();
      for (int i = 0; i < pings.size(); i++) {
        Contact c = pings.get(i).join();
        // A name that includes this node's own address under another form answers as itself.
        if (c != null && !c.id().equals(self.id())) {
          answered.put(addresses.get(i), c);
        } else if (c == null) {
          silent.add(addresses.get(i));
        }
      }
      return new Reached(answered, silent);
    });
  }
}
