/**
 * {@code kadmesh bench}: latency and throughput of real nodes. {@link BenchCommand} starts N
 * production nodes in one JVM over gRPC on loopback (a {@link io.kadmesh.testing.GrpcMesh} over
 * Netty, {@code BenchRun}), runs a seeded put/get
 * workload through their API ports with {@link io.kadmesh.client.KadmeshClient}, and reports each
 * latency beside the floor (one bare FindValue round trip measured in the same run).
 *
 * <p>Its vocabulary: a <em>hop</em> is one link of the longest chain of answers a lookup waited
 * on, the quantity the paper's log2 N bound is about (§3); {@link LookupTracer} works hops out from
 * outside the node, and {@code PeerCallCounter} counts peer RPCs by method with a client
 * interceptor, so the node is measured unmodified. With {@code --records}, {@code Workload} runs
 * the same operations on signed and content records, {@code Ed25519Counter} counts the signatures
 * verified across the mesh with a counting JCA provider (again no change to the node), and
 * {@code CryptoCosts} times the proofs alone. With {@code --mesh}, {@code MeshWorkload} announces
 * services and times resolves, and {@code WatchLatency} times each change to a watcher's event
 * ({@code MeshReport} prints both). With {@code --processes}, {@code ProcessBenchRun} runs the plain
 * workload against {@code kadmesh node} processes ({@code NodeProcess}), one JVM per node; with
 * {@code --sidecar}, {@code SidecarRun} times one node process's start to SERVING and reads its
 * idle RSS. {@code Workload} reaches either kind of node through {@code BenchNodes}.
 *
 * <p>Layering: part of the command line; builds on {@code kadmesh-testing}'s mesh, the client, the
 * gRPC layer and the core. {@link io.kadmesh.cli.simulation} reuses its {@code LookupTracer},
 * {@link MeasurementCommand} (the seed, the JSON choice, number formatting) and
 * {@link Percentiles}.
 */
package io.kadmesh.cli.bench;
