/**
 * Meshes of N kadmesh nodes in one JVM, one harness for every transport (as Ratis's
 * MiniRaftCluster is for Raft): the scenario tests, {@code kadmesh bench} and {@code kadmesh
 * simulate} all build their networks here.
 *
 * <p>Vocabulary:
 * <ul>
 *   <li><b>mesh</b>: the nodes started together, and those added later; a {@link Mesh} on any
 *       transport answers the same operations, addressed by member index.
 *   <li><b>member</b>: one node of a mesh, by its index in the order it was added (0 first); a
 *       member stays at its index after it crashed or stopped.
 *   <li><b>running</b>: a member neither crashed nor stopped.
 *   <li><b>crash</b>: the member falls silent at once and hands nothing over; <b>stop</b>: it leaves
 *       gracefully, handing its records to the next closest nodes (paper §2.5).
 *   <li><b>simulated</b> ({@link SimulatedMesh}): the unmodified core over the in-memory network on
 *       virtual time, deterministic for a seed; <b>gRPC</b> ({@link GrpcMesh}): real
 *       {@code KadmeshServer}s over in-process or Netty transports, each member with a
 *       {@code KadmeshClient} on its API port, on real time.
 * </ul>
 *
 * <p>Place in the layers: above everything it starts. It depends on the server (the core and its
 * gRPC services) and on the client library; nothing in the node depends on it. It is main code
 * rather than a test-jar because the {@code kadmesh} executable's {@code bench} and
 * {@code simulate} ship with it, as grpc-testing is a library for gRPC's users.
 */
package io.kadmesh.testing;
