/**
 * {@code kadmesh simulate}: the unmodified Kademlia core at network sizes no machine could run as
 * processes. {@link SimulateCommand} builds, per size, networks of {@link
 * io.kadmesh.core.node.KademliaNode}s over {@link io.kadmesh.core.sim.InMemoryNetwork} on a
 * {@link io.kadmesh.core.VirtualScheduler} (a {@link io.kadmesh.testing.SimulatedMesh}, its
 * transports wrapped by {@code TracingTransport}), and runs the same puts and
 * gets in three scenarios ({@code SimulationRun}): steady, under churn (a fraction of nodes
 * replaced per virtual hour) and with a fraction silently dead. It reports hops beside log2 N
 * (paper §3), RPCs and pings per get, and the share of gets that found their value.
 *
 * <p>Routing tables are filled from the sorted ID list by default, as a long-running network
 * would have them, since joining 100,000 nodes one by one takes hours; {@code --build join} uses
 * the real join. Deterministic for a seed.
 *
 * <p>Layering: part of the command line; depends on the core, on {@code kadmesh-testing}'s
 * simulated mesh and on {@link io.kadmesh.cli.bench}'s {@code LookupTracer},
 * {@code MeasurementCommand} and {@code Percentiles}; its own code never touches gRPC.
 */
package io.kadmesh.cli.simulation;
