package io.kadmesh.server;

import io.kadmesh.core.AddressResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Resolves a bootstrap HOST:PORT through the system's resolver (DNS, /etc/hosts) into one
 * address:PORT per address of the host, so that a name standing for many nodes (a Kubernetes
 * headless service) is joined through each. Lookups block, so they run on a thread of their own,
 * never on the node's event loops; an IP address stands for itself and needs no lookup.
 */
public final class DnsAddressResolver implements AddressResolver {
  /** Lookups at once; more wait their turn in a queue (bootstrap addresses are few). */
  private static final int MAX_THREADS = 2;

  private final Executor executor;

  public DnsAddressResolver() {
    // Threads end after 30 s idle: a node that has joined resolves nothing more for a long while.
    ThreadPoolExecutor pool = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "kadmesh-dns");
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    this.executor = pool;
  }

  @Override
  public CompletableFuture<List<String>> resolve(String address) {
    HostPort hp;
    try {
      hp = HostPort.parse(address);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(() -> addresses(hp), executor);
  }

  /** Each address of the host with the port, in the resolver's order, without duplicates. */
  static List<String> addresses(HostPort hp) {
    try {
      Set<String> out = new LinkedHashSet<>();
      for (InetAddress a : InetAddress.getAllByName(hp.host())) {
        out.add(new HostPort(a.getHostAddress(), hp.port()).toString());
      }
      return new ArrayList<>(out);
    } catch (UnknownHostException e) {
      throw new CompletionException(e);
    }
  }
}
