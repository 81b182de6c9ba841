package io.kadmesh.cli.bench;

import io.kadmesh.client.KadmeshException;
import io.kadmesh.client.ServiceEndpoint;
import io.kadmesh.core.NodeId;
import io.kadmesh.records.RecordKeys;
import io.kadmesh.testing.GrpcMesh;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The services of {@code kadmesh bench --mesh}: S services of E endpoints each, every endpoint
 * announced through a random node's API port (so each service has several announcers, as a real
 * one does), and the resolves of a phase: which service, through which node. Drawn from the seed.
 * A resolve succeeds when it answers exactly the endpoints announced.
 */
final class MeshWorkload {
  /** What one resolve is: {@code KadmeshClient.resolve}, for the output. */
  static final String RESOLVE_WHAT = "resolve = KadmeshClient.resolve (Resolve: a FIND_VALUE "
      + "lookup of the service's key that stops, as a get does, once the get quorum of the closest "
      + "replicas answered with entries, and merges theirs, each verified against its announcer's "
      + "Ed25519 signature)";

  final String[] services;
  final NodeId[] ids;
  /** The endpoints of each service, HOST:PORT. */
  final String[][] endpoints;
  /** The node each endpoint is announced through. */
  final int[][] announcers;
  private final GrpcMesh mesh;

  MeshWorkload(GrpcMesh mesh, Random random, long seed, int services, int perService) {
    this.mesh = mesh;
    this.services = new String[services];
    ids = new NodeId[services];
    endpoints = new String[services][perService];
    announcers = new int[services][perService];
    for (int s = 0; s < services; s++) {
      this.services[s] = "bench-" + seed + "-svc-" + s;
      ids[s] = NodeId.fromBytes(RecordKeys.serviceKey(this.services[s]));
      for (int e = 0; e < perService; e++) {
        endpoints[s][e] = address(s, e + 1, 8080);
        announcers[s][e] = random.nextInt(mesh.size());
      }
    }
  }

  /** An endpoint of service {@code s}: 10.x.y.{@code host}:{@code port}, x.y from s. */
  static String address(int s, int host, int port) {
    return "10." + ((s >> 8) & 0xff) + "." + (s & 0xff) + "." + host + ":" + port;
  }

  /** Announces every endpoint, one at a time; answers how many were published on a replica. */
  int announceAll() {
    int published = 0;
    for (int s = 0; s < services.length; s++) {
      for (int e = 0; e < endpoints[s].length; e++) {
        try {
          if (mesh.client(announcers[s][e]).announce(services[s], endpoints[s][e]).replicas() > 0) {
            published++;
          }
        } catch (KadmeshException ex) {
          // counted as not published: the figures say how many were
        }
      }
    }
    return published;
  }

  int endpointCount() {
    return services.length * (services.length == 0 ? 0 : endpoints[0].length);
  }

  /** The resolves of one phase: {@code n} of a random service through a random node each. */
  Resolves resolves(Random random, int n) {
    int[] service = new int[n];
    int[] node = new int[n];
    for (int i = 0; i < n; i++) {
      service[i] = random.nextInt(services.length);
      node[i] = random.nextInt(mesh.size());
    }
    return new Resolves(service, node);
  }

  /** Resolve {@code i} of a phase: service {@code service[i]} through node {@code node[i]}. */
  record Resolves(int[] service, int[] node) {
    int size() {
      return service.length;
    }
  }

  /** Resolves service {@code s} through node {@code via} on {@code executor} (the call blocks). */
  CompletableFuture<Boolean> resolve(int s, int via, Executor executor) {
    return CompletableFuture.supplyAsync(() -> {
      List<ServiceEndpoint> found = mesh.client(via).resolve(services[s]);
      Set<String> addresses = new HashSet<>();
      for (ServiceEndpoint e : found) addresses.add(e.address());
      return found.size() == endpoints[s].length && addresses.equals(Set.of(endpoints[s]));
    }, executor);
  }
}
