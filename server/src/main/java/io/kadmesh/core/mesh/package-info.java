/**
 * The service mesh's announcing side: {@link io.kadmesh.core.mesh.Announcer} keeps the endpoints a
 * node announces for the application beside it published, re-announcing each before it expires,
 * across restarts ({@link io.kadmesh.core.mesh.AnnouncementStore}), and only while its health
 * check passes ({@link io.kadmesh.core.mesh.HealthProbe}). How an entry is signed and stored is the
 * {@link io.kadmesh.core.mesh.EndpointPublisher}'s business. {@link io.kadmesh.core.mesh.NodeDrain}
 * takes a node out of service before a planned shutdown (withdrawals, hand-off, health).
 *
 * <p>Everything runs on the injected {@link io.kadmesh.core.Scheduler}: no threads, no wall clock.
 * No gRPC here: the probe's gRPC implementation lives in {@code io.kadmesh.server.grpc}.
 */
package io.kadmesh.core.mesh;
